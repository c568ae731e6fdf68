"""Load a JSON bundle into an empty workspace.

Everything or nothing: the bundle is checked whole before the first write
(against its declared JSON Schema, then references, spans and the four-eyes
rule: see bundle_checks.py, every problem reported with its path), and
written in one transaction.
Objects get new ids; references are remapped; timestamps are kept.

History: the bundle's audit events are the history of the original workspace.
Each is appended to the new workspace's own chain (in one audit_batch: hashed
in memory, bulk-inserted, the chain head written once) as an event on the
(remapped) object it concerns, with the original event kept verbatim under
changes["imported_history_event"]: original sequence, time, actor, changes
and hashes. So the new chain verifies on its own, a claim's
timeline still shows its past, and exporting the workspace again writes the
original events back out unchanged. A last event records the import itself.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.dateparse import parse_date, parse_datetime

from archive.models import LinkCheck, Snapshot
from audit.chain import canonical_json
from audit.models import AuditEvent
from audit.services import audit_batch
from claims.models import (
    Article,
    Claim,
    ClaimIntermediary,
    ClaimLink,
    Evidence,
    Figure,
    Review,
    Source,
)
from claims.services.figures import FigureVocabulary, clean_figures, figure_fields
from counting.scope import normalise_phrase
from exports.bundle_checks import bundle_problems
from exports.formats.bundle import BUNDLE_FORMAT, BUNDLE_VERSION, IMPORTED_EVENT_KEY, SECTIONS
from vocabulary.models import Outcome, Place, Subgroup, Term
from vocabulary.services import place_names_write, reconcile_later
from workspaces.access import ADMINS, require_role
from workspaces.models import Workspace

# A refusal lists this many problems (and says how many more there are).
MAX_ERRORS = 200


EVENT_PAYLOAD_KEYS = (
    "workspace",
    "sequence",
    "actor",
    "actor_name",
    "created_at",
    "object_type",
    "object_id",
    "object_label",
    "action",
    "changes",
    "request_id",
)


BATCH = 500


@dataclass
class ImportResult:
    workspace: Workspace
    counts: dict[str, int]
    history_events: int = 0
    history_hashes_matching: int = 0
    created_users: list[str] = field(default_factory=list)

    @property
    def history_intact(self) -> bool:
        return self.history_events == self.history_hashes_matching


def bundle_read(file: IO[bytes]) -> dict[str, Any]:
    """Parse a bundle file; a clear error for anything that is not one."""
    try:
        data = json.load(file)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"This file is not a JSON bundle ({exc}).") from None
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise ValidationError(
            f"This file is not a Claims Workbench bundle (its “format” is not “{BUNDLE_FORMAT}”)."
        )
    return data


class _Errors:
    def __init__(self):
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            shown = self.messages[:MAX_ERRORS]
            more = len(self.messages) - len(shown)
            if more:
                shown.append(f"…and {more} more problems.")
            raise ValidationError(shown)


def _check_header(data: dict) -> None:
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise ValidationError(f"This is not a Claims Workbench bundle (format “{BUNDLE_FORMAT}”).")
    version = data.get("version")
    if version != BUNDLE_VERSION:
        raise ValidationError(
            f"This bundle is version {version!r}; this workbench reads version {BUNDLE_VERSION}. "
            "Export it again from a workbench of the same version."
        )


def _usernames(sections: dict[str, list[dict]]) -> set[str]:
    names: set[str] = set()

    def add(*values) -> None:
        names.update(v for v in values if isinstance(v, str) and v)

    for source in sections["sources"]:
        add(source.get("created_by"))
    for article in sections["articles"]:
        add(article.get("imported_by"))
    for claim in sections["claims"]:
        add(*(claim.get(k) for k in ("created_by", "proposed_by", "approved_by", "assignee")))
        for evidence in claim.get("evidence") or []:
            add(evidence.get("added_by"))
        for review in claim.get("reviews") or []:
            add(review.get("reviewer"), review.get("proposed_by"))
    for link in sections["links"]:
        add(link.get("created_by"))
    for event in sections["audit_events"]:
        if event.get("actor") is not None:
            add(event.get("actor_name"))
    return names


def _users(sections, *, create_missing: bool) -> tuple[dict[str, Any], list[str]]:
    User = get_user_model()
    wanted = _usernames(sections)
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    missing = sorted(wanted - set(users))
    if missing and not create_missing:
        raise ValidationError(
            f"The bundle names users this workbench does not have: {', '.join(missing)}. "
            "Create them first, or import with --create-missing-users (they are created "
            "inactive, without a password and without membership)."
        )
    for name in missing:
        user = User(username=name, is_active=False)
        user.set_unusable_password()
        user.save()
        users[name] = user
    return users, missing


def _parsed(value, parse, expected: str):
    """None for an empty value; else the parsed value, or a ValidationError
    naming what was expected."""
    if not value:
        return None
    try:
        parsed = parse(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None:
        raise ValidationError(f"{value!r} is not {expected}.")
    return parsed


def _when(value):
    return _parsed(value, parse_datetime, "a date and time (ISO 8601)")


def _day(value):
    return _parsed(value, parse_date, "a date (YYYY-MM-DD)")


def _clean(obj, where: str, errors: _Errors, exclude: tuple[str, ...]) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.add(f"{where}: {name}: {' '.join(messages)}")


# Rows per UPDATE when the bundle's times are put back.
TIMES_BATCH = 1000


def _restore_times(objects: list, fields: Iterable[str], values: list[dict]) -> None:
    """bulk_create stamps auto_now fields with the import time; put the
    bundle's times back: one UPDATE ... FROM (VALUES ...) per 1,000 rows
    (Django's bulk_update builds a CASE per row: 47 s of a 10,000-claim
    import went there)."""
    fields = list(fields)
    for obj, value in zip(objects, values, strict=True):
        for name in fields:
            setattr(obj, name, _when(value.get(name)))
    if not objects:
        return
    meta = type(objects[0])._meta
    columns = [meta.get_field(name).column for name in fields]
    postgres = connection.vendor == "postgresql"
    cast = "::timestamptz" if postgres else ""
    quote = connection.ops.quote_name
    # SQLite names a VALUES list's columns column1, column2...; PostgreSQL
    # takes the names after the alias.
    value_names = (
        ["id", *(quote(c) for c in columns)]
        if postgres
        else [f"column{i}" for i in range(1, len(columns) + 2)]
    )
    assignments = ", ".join(
        f"{quote(c)} = v.{v}{cast}" for c, v in zip(columns, value_names[1:], strict=True)
    )
    alias = f"v({', '.join(value_names)})" if postgres else "v"
    row = "(" + ", ".join(["%s"] * (1 + len(columns))) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), TIMES_BATCH):
            chunk = objects[start : start + TIMES_BATCH]
            params = []
            for obj in chunk:
                params.append(obj.pk)
                params.extend(
                    connection.ops.adapt_datetimefield_value(getattr(obj, name)) for name in fields
                )
            # Table and column names come from the model; the values are parameters.
            sql = (
                f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS {alias} "
                f"WHERE {quote(meta.db_table)}.id = v.{value_names[0]}"
            )
            cursor.execute(sql, params)


def _verify_history(events: list[dict]) -> int:
    """How many events still match their own hash (a pseudonymised or edited
    bundle's do not)."""
    matching = 0
    for event in events:
        payload = {k: event[k] for k in EVENT_PAYLOAD_KEYS}
        if event.get("client_request_id"):
            payload["client_request_id"] = event["client_request_id"]
        material = str(event.get("prev_hash", "")) + canonical_json(payload)
        if hashlib.sha256(material.encode("utf-8")).hexdigest() == event.get("hash"):
            matching += 1
    return matching


def workspace_is_empty(workspace: Workspace) -> bool:
    return not (
        Source.objects.filter(workspace=workspace).exists()
        or Article.objects.filter(workspace=workspace).exists()
        or Claim.objects.filter(workspace=workspace).exists()
    )


@transaction.atomic
def bundle_import(
    *, workspace: Workspace, actor, data: dict[str, Any], create_missing_users: bool = False
) -> ImportResult:
    """Load a bundle into an empty workspace (an admin's action): all of it, or
    nothing and a ValidationError listing what is wrong."""
    require_role(workspace=workspace, user=actor, roles=ADMINS, action="import a bundle")
    _check_header(data)
    # Lock the workspace: two imports into it cannot both find it empty.
    Workspace.objects.select_for_update().get(pk=workspace.pk)
    if not workspace_is_empty(workspace):
        raise ValidationError(
            f"Workspace “{workspace.slug}” is not empty; a bundle loads only into an empty one."
        )
    errors = _Errors()
    # The whole bundle is checked before the first write (users included).
    for problem in bundle_problems(data):
        errors.add(problem)
    errors.raise_if_any()
    # A bundle written before figures had a scope has no places or vocabulary.
    sections = {name: data.get(name) or [] for name in SECTIONS}
    users, created_users = _users(sections, create_missing=create_missing_users)

    def user(name):
        return users.get(name) if name else None

    _set_tolerance(workspace, data.get("figure_tolerance"))
    try:
        result = _write(workspace, sections, user, errors)
    except IntegrityError as exc:
        raise ValidationError(f"The bundle breaks a database rule: {exc}") from None
    except (ArithmeticError, KeyError, TypeError, ValueError) as exc:
        # A value of the wrong type that got past the checks above: still a
        # clear refusal, and the transaction leaves nothing behind.
        raise ValidationError(
            f"The bundle is malformed ({type(exc).__name__}: {exc}); nothing was imported."
        ) from None
    counts, maps = result
    history = sections["audit_events"]
    matching = _verify_history(history)
    source_workspace = data.get("workspace") if isinstance(data.get("workspace"), dict) else {}
    # The chain is built in memory and bulk-inserted; its head is written once.
    with audit_batch(workspace=workspace) as batch:
        for event in history:
            object_map = maps.get(event["object_type"], {})
            mapped = object_map.get(_int(event["object_id"]))
            batch.record(
                actor=user(event["actor_name"]) if event.get("actor") is not None else None,
                object_type=str(event["object_type"])[:40],
                object_id=str(mapped if mapped is not None else event["object_id"])[:40],
                action=event["action"],
                label=str(event.get("object_label", "")),
                changes={IMPORTED_EVENT_KEY: event},
            )
        batch.record(
            actor=actor,
            obj=workspace,
            action=AuditEvent.Action.CREATE,
            label=f"Imported bundle from “{source_workspace.get('slug', '?')}”",
            changes={
                "imported_bundle": {
                    "format": data.get("format"),
                    "version": data.get("version"),
                    "from_workspace": source_workspace,
                    "exported_at": data.get("exported_at"),
                    "exported_by": data.get("exported_by"),
                    "scope_label": data.get("scope_label"),
                    "real_names": data.get("real_names"),
                    "counts": counts,
                    "history_events": len(history),
                    "history_hashes_matching": matching,
                    "created_users": created_users,
                }
            },
        )
    # The imported figures are reconciled for the figures page (a job, after commit).
    reconcile_later(workspace=workspace, actor=actor)
    return ImportResult(
        workspace=workspace,
        counts=counts,
        history_events=len(history),
        history_hashes_matching=matching,
        created_users=created_users,
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _write(workspace, sections, user, errors: _Errors):
    """Create every object; validate each before anything is saved."""
    maps: dict[str, dict[int, int]] = {}
    places = _write_gazetteer(workspace, sections, maps, errors)
    _write_vocabulary(workspace, sections, maps, errors)

    # Sources.
    sources = []
    for item in sections["sources"]:
        source = Source(
            workspace=workspace,
            name=item.get("name", ""),
            kind=item.get("kind", Source.Kind.OTHER),
            aliases=item.get("aliases") or [],
            description=item.get("description", ""),
            reliability=item.get("reliability", Source.Reliability.F),
            protected=bool(item.get("protected")),
            created_by=user(item.get("created_by")),
        )
        _clean(source, f"source {item['id']}", errors, ("workspace", "created_by"))
        sources.append(source)
    names = [s.name.casefold() for s in sources]
    if len(set(names)) != len(names):
        errors.add("Two sources of the bundle have the same name.")

    # Articles (previous versions linked once all exist).
    articles = []
    for item in sections["articles"]:
        article = Article(
            workspace=workspace,
            title=item.get("title", ""),
            url=item.get("url", ""),
            published_on=_day(item.get("published_on")),
            body=item["body"],
            language=item.get("language", "en"),
            body_sha256=item.get("body_sha256", ""),
            imported_by=user(item.get("imported_by")),
        )
        _clean(
            article,
            f"article {item['id']}",
            errors,
            ("workspace", "outlet", "imported_by", "previous_version"),
        )
        articles.append(article)
    errors.raise_if_any()

    Source.objects.bulk_create(sources, batch_size=BATCH)
    source_map = maps["source"] = {
        item["id"]: s.pk for item, s in zip(sections["sources"], sources, strict=True)
    }
    _restore_times(sources, ("created_at", "updated_at"), sections["sources"])
    for article, item in zip(articles, sections["articles"], strict=True):
        article.outlet_id = source_map.get(item.get("outlet"))
    Article.objects.bulk_create(articles, batch_size=50)
    article_map = maps["article"] = {
        item["id"]: a.pk for item, a in zip(sections["articles"], articles, strict=True)
    }
    for article, item in zip(articles, sections["articles"], strict=True):
        article.previous_version_id = article_map.get(item.get("previous_version"))
        article.imported_at = _when(item.get("imported_at"))
    Article.objects.bulk_update(articles, ["previous_version", "imported_at"], batch_size=BATCH)

    # Claims and what hangs off them.
    claims = []
    for item in sections["claims"]:
        claim = Claim(
            workspace=workspace,
            article_id=article_map[item["article"]],
            quote=item.get("quote", ""),
            start=item["start"],
            end=item["end"],
            prefix=item.get("prefix", ""),
            suffix=item.get("suffix", ""),
            source_id=source_map[item["source"]],
            kind=item.get("kind", Claim.Kind.OTHER),
            statement=item.get("statement", ""),
            summary=item.get("summary", ""),
            status=item.get("status", Claim.Status.NEW),
            credibility=item.get("credibility", Claim.Credibility.CANNOT_JUDGE),
            verdict=item.get("verdict", ""),
            rationale=item.get("rationale", ""),
            proposed_by=user(item.get("proposed_by")),
            proposed_at=_when(item.get("proposed_at")),
            approved_by=user(item.get("approved_by")),
            approved_at=_when(item.get("approved_at")),
            approved_fingerprint=item.get("approved_fingerprint", ""),
            dismissed_reason=item.get("dismissed_reason", ""),
            assignee=user(item.get("assignee")),
            anchor_state=item.get("anchor_state", Claim.AnchorState.ANCHORED),
            version=item.get("version", 1),
            created_by=user(item.get("created_by")),
        )
        _clean(
            claim,
            f"claim {item['id']}",
            errors,
            (
                "workspace",
                "article",
                "source",
                "proposed_by",
                "approved_by",
                "assignee",
                "created_by",
            ),
        )
        claims.append(claim)
    errors.raise_if_any()
    Claim.objects.bulk_create(claims, batch_size=BATCH)
    claim_map = maps["claim"] = {
        item["id"]: c.pk for item, c in zip(sections["claims"], claims, strict=True)
    }
    _restore_times(claims, ("created_at", "updated_at"), sections["claims"])

    intermediaries, figures, evidence, evidence_items, reviews, review_items = (
        [],
        [],
        [],
        [],
        [],
        [],
    )
    vocabulary_cache = FigureVocabulary(workspace)
    for claim, item in zip(claims, sections["claims"], strict=True):
        for position, via in enumerate(item.get("intermediaries") or []):
            intermediaries.append(
                ClaimIntermediary(claim=claim, position=position, source_id=source_map[via])
            )
        figures.extend(_figures_of(claim, item, places, vocabulary_cache, errors))
        for e in item.get("evidence") or []:
            obj = Evidence(
                workspace=workspace,
                claim=claim,
                stance=e.get("stance", ""),
                kind=e.get("kind", Evidence.Kind.OTHER),
                url=e.get("url", ""),
                title=e.get("title", ""),
                publisher_id=source_map.get(e.get("publisher")),
                origin_id=source_map.get(e.get("origin")),
                published_on=_day(e.get("published_on")),
                excerpt=e.get("excerpt", ""),
                note=e.get("note", ""),
                link_state=e.get("link_state", Evidence.LinkState.UNCHECKED),
                version=e.get("version", 1),
                added_by=user(e.get("added_by")),
            )
            _clean(
                obj,
                f"evidence {e.get('id')}",
                errors,
                ("workspace", "claim", "publisher", "origin", "added_by"),
            )
            evidence.append(obj)
            evidence_items.append(e)
        for r in item.get("reviews") or []:
            reviewer = user(r.get("reviewer"))
            if reviewer is None:
                errors.add(f"claim {item['id']}: a review without a reviewer.")
                continue
            review = Review(
                claim=claim,
                reviewer=reviewer,
                decision=r.get("decision", ""),
                verdict=r.get("verdict", ""),
                rationale=r.get("rationale", ""),
                proposed_by=user(r.get("proposed_by")),
                comment=r.get("comment", ""),
                claim_version=r.get("claim_version", 1),
                voided_at=_when(r.get("voided_at")),
            )
            _clean(review, f"review {r.get('id')}", errors, ("claim", "reviewer", "proposed_by"))
            reviews.append(review)
            review_items.append(r)
    errors.raise_if_any()
    ClaimIntermediary.objects.bulk_create(intermediaries, batch_size=BATCH)
    _write_figures(figures)
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)
    evidence_map = maps["evidence"] = {
        e["id"]: obj.pk for e, obj in zip(evidence_items, evidence, strict=True)
    }
    _restore_times(evidence, ("added_at", "updated_at"), evidence_items)
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    maps["review"] = {
        r["id"]: obj.pk for r, obj in zip(review_items, reviews, strict=True) if "id" in r
    }
    _restore_times(reviews, ("created_at",), review_items)
    LinkCheck.objects.bulk_create(
        (
            LinkCheck(
                evidence=obj,
                checked_at=_when(check.get("checked_at")),
                outcome=check.get("outcome", LinkCheck.Outcome.LIVE),
                status_code=check.get("status_code"),
                sha256=check.get("sha256", ""),
                detail=check.get("detail", ""),
            )
            for obj, item in zip(evidence, evidence_items, strict=True)
            for check in item.get("link_checks") or []
        ),
        batch_size=BATCH,
    )

    # Links between claims.
    links = [
        ClaimLink(
            workspace=workspace,
            from_claim_id=claim_map[item["from_claim"]],
            to_claim_id=claim_map[item["to_claim"]],
            relation=item.get("relation", ""),
            note=item.get("note", ""),
            created_by=user(item.get("created_by")),
        )
        for item in sections["links"]
    ]
    for link, item in zip(links, sections["links"], strict=True):
        _clean(
            link,
            f"link {item['id']}",
            errors,
            ("workspace", "from_claim", "to_claim", "created_by"),
        )
    errors.raise_if_any()
    ClaimLink.objects.bulk_create(links, batch_size=BATCH)
    maps["claimlink"] = {
        item["id"]: obj.pk for item, obj in zip(sections["links"], links, strict=True)
    }
    _restore_times(links, ("created_at",), sections["links"])

    # Archived copies. A pseudonymised bundle carries none of the WARC files
    # (they hold the original pages): such a snapshot is left out, never
    # stored empty under the hash of a file that is not there.
    snapshots, snapshot_items, omitted = [], [], 0
    for item in sections["snapshots"]:
        if not item.get("warc_base64"):
            omitted += 1
            continue
        try:
            warc = base64.b64decode(item["warc_base64"], validate=True)
        except (binascii.Error, ValueError):
            errors.add(f"snapshot {item['id']}: the WARC is not valid base64.")
            continue
        warc_sha256 = hashlib.sha256(warc).hexdigest()
        if item.get("warc_sha256") and item["warc_sha256"] != warc_sha256:
            errors.add(f"snapshot {item['id']}: the WARC file does not match its SHA-256.")
            continue
        snapshot_items.append(item)
        snapshots.append(
            Snapshot(
                workspace=workspace,
                evidence_id=evidence_map.get(item.get("evidence")),
                article_id=article_map.get(item.get("article")),
                url=item.get("url", ""),
                final_url=item.get("final_url", ""),
                status_code=item.get("status_code") or 0,
                headers=item.get("headers") or [],
                content_type=item.get("content_type", ""),
                sha256=item.get("sha256", ""),
                warc=warc,
                warc_sha256=warc_sha256,
                text=item.get("text", ""),
                fetched_at=_when(item.get("fetched_at")),
            )
        )
    errors.raise_if_any()
    Snapshot.objects.bulk_create(snapshots, batch_size=20)
    maps["snapshot"] = {
        item["id"]: obj.pk for item, obj in zip(snapshot_items, snapshots, strict=True)
    }
    counts = {
        "places": len(places),
        "vocabulary": len(sections["vocabulary"]),
        "sources": len(sources),
        "articles": len(articles),
        "claims": len(claims),
        "evidence": len(evidence),
        "reviews": len(reviews),
        "links": len(links),
        "snapshots": len(snapshots),
        "snapshots_without_archive": omitted,
        "audit_events": len(sections["audit_events"]),
    }
    return counts, maps


# Figures with their scope, places and vocabulary ---------------------------------------


def _write_gazetteer(workspace, sections, maps, errors: _Errors) -> dict[int, Place]:
    """The bundle's places, parents first (bundle id -> new Place)."""
    items = {item["id"]: item for item in sections["places"]}
    created: dict[int, Place] = {}

    def place(pk, trail=()) -> Place | None:
        if pk in created:
            return created[pk]
        if pk in trail:
            errors.add(f"place {pk}: its parents go round in a circle.")
            return None
        item = items[pk]
        parent = place(item["parent"], (*trail, pk)) if item.get("parent") is not None else None
        obj = Place(
            workspace=workspace,
            name=str(item.get("name", ""))[:200],
            key=normalise_phrase(str(item.get("name", ""))),
            level=item.get("level", ""),
            parent=parent,
            alternatives=[str(a)[:200] for a in item.get("alternatives") or []],
        )
        _clean(obj, f"place {pk}", errors, ("workspace", "parent", "created_by"))
        if parent is not None and Place.LEVEL_DEPTH.get(obj.level, 0) <= Place.LEVEL_DEPTH.get(
            parent.level, 0
        ):
            errors.add(f"place {pk}: a {obj.level} cannot lie inside a {parent.level}.")
        errors.raise_if_any()
        obj.save()
        created[pk] = obj
        return obj

    for pk in items:
        place(pk)
    errors.raise_if_any()
    place_names_write(list(created.values()))
    maps["place"] = {pk: obj.pk for pk, obj in created.items()}
    return created


def _write_vocabulary(workspace, sections, maps, errors: _Errors) -> None:
    """The workspace's own outcomes, sub-groups and terms."""
    rows = {"outcome": [], "subgroup": [], "term": []}
    for index, item in enumerate(sections["vocabulary"]):
        kind = item.get("type")
        if kind == "outcome":
            obj = Outcome(workspace=workspace, key=item.get("key", ""), label=item.get("label", ""))
        elif kind == "subgroup":
            obj = Subgroup(
                workspace=workspace, key=item.get("key", ""), label=item.get("label", "")
            )
        else:
            obj = Term(
                workspace=workspace,
                phrase=item.get("phrase", ""),
                key=normalise_phrase(item.get("phrase", "")),
                kind=item.get("kind", ""),
                meaning=item.get("meaning", ""),
            )
        _clean(obj, f"vocabulary[{index}]", errors, ("workspace", "created_by"))
        rows[kind].append((item, obj))
    errors.raise_if_any()
    for kind, model in (("outcome", Outcome), ("subgroup", Subgroup), ("term", Term)):
        objects = [obj for _, obj in rows[kind]]
        model.objects.bulk_create(objects, batch_size=BATCH)
        maps[kind] = {
            item["id"]: obj.pk for item, obj in rows[kind] if isinstance(item.get("id"), int)
        }


def _figures_of(claim, item, places, vocabulary, errors: _Errors) -> list[tuple]:
    """A claim's figures, through the figure contract (claims.services.figures):
    (Figure, bundle id, part_of bundle id of another claim's figure)."""
    given = [f for f in item.get("figures") or [] if isinstance(f, dict)]
    ids = [f.get("id") for f in given]
    dicts = []
    for f in given:
        target = f.get("part_of")
        dicts.append(
            {
                "value": f.get("value"),
                "qualifier": f.get("qualifier"),
                "value_high": f.get("value_high"),
                "counted": f.get("counted", ""),
                "outcome": f.get("outcome"),
                "population": f.get("population"),
                "subgroups": f.get("subgroups") if "subgroups" in f else None,
                "place": places.get(f.get("place")) if f.get("place") is not None else None,
                "as_of": f.get("as_of"),
                "period_start": f.get("period_start"),
                "period_end": f.get("period_end"),
                "basis": f.get("basis"),
                "part_of": ids.index(target) if target is not None and target in ids else None,
            }
        )
    try:
        cleaned = clean_figures(dicts, workspace=claim.workspace, vocabulary=vocabulary)
    except ValidationError as exc:
        errors.add(f"claim {item['id']}: {' '.join(exc.messages)}")
        return []
    found = []
    for position, (f, data) in enumerate(zip(given, cleaned, strict=True)):
        figure = Figure(claim=claim, position=f.get("position", position), **figure_fields(data))
        other = f.get("part_of") if f.get("part_of") not in ids else None
        found.append((figure, f.get("id"), data["part_of_index"], other))
    return found


def _write_figures(figures: list[tuple]) -> None:
    """Create the figures, then link parts to totals (in the claim, or in another)."""
    Figure.objects.bulk_create([f for f, *_ in figures], batch_size=BATCH)
    by_bundle_id = {pk: f for f, pk, _, _ in figures if pk is not None}
    by_claim: dict[int, list[Figure]] = {}
    for figure, *_ in figures:
        by_claim.setdefault(figure.claim_id, []).append(figure)
    changed = []
    for figure, _pk, index, other in figures:
        if index is not None:
            figure.part_of = by_claim[figure.claim_id][index]
        elif other is not None and other in by_bundle_id:
            figure.part_of = by_bundle_id[other]
        else:
            continue
        changed.append(figure)
    Figure.objects.bulk_update(changed, ["part_of"], batch_size=BATCH)


def _set_tolerance(workspace: Workspace, value) -> None:
    """The exported workspace's conflict tolerance, when the bundle gives one."""
    if value in (None, ""):
        return
    try:
        tolerance = Decimal(str(value))
    except ArithmeticError:
        tolerance = Decimal(-1)
    if not tolerance.is_finite() or not 0 <= tolerance < 1:
        raise ValidationError(f"figure_tolerance {value!r} is not between 0 and 1.")
    Workspace.objects.filter(pk=workspace.pk).update(figure_tolerance=tolerance)
    workspace.figure_tolerance = tolerance
