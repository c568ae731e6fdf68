"""JSON bundle: the whole graph of a scope, streamed, loadable into an empty
workspace with `manage.py import_bundle`.

Layout (version 1): header fields, then the lists "places" (the workspace's
gazetteer, parents first), "vocabulary" (its own outcomes, sub-groups and
terms), "sources", "articles", "claims" (each with its chain, figures with
their scope, evidence with link checks, and reviews), "links", "snapshots"
(archived copies, WARC in base64) and "audit_events", and finally "counts".
Objects keep their ids, which other objects use as references (a figure's
place, the figure it is a part of); users appear by username. A bundle
without "places" or "vocabulary" (written before figures had a scope) still
loads: its figures then need their scope.

Audit events are written exactly as their chain recorded them (the fields
the hash covers, plus prev_hash and hash), so the history in a bundle can be
verified. Events that came from an imported bundle are written as they were
in the bundle they came from (see importing.py).

With protected sources pseudonymised, article bodies are pseudonymised as a
whole and claim offsets moved onto the new text, so the bundle stays
consistent and importable; archived WARC files are left out (they hold the
original pages), and the audit events' hashes no longer verify."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from audit.chain import event_payload
from audit.selectors import chain_head
from counting.wording import plain_number
from exports.context import (
    IMPORTED_EVENT_KEY,
    Anchors,
    ExportContext,
    batches,
    iso,
    username,
)
from exports.selectors import (
    articles_in_scope,
    claims_for_bundle,
    events_in_scope,
    links_in_scope,
    places_for_bundle,
    snapshots_in_scope,
    sources_in_scope,
    vocabulary_for_bundle,
)

CONTENT_TYPE = "application/json; charset=utf-8"


EXTENSION = "json"


BUNDLE_FORMAT = "claims-workbench-bundle"


BUNDLE_VERSION = 1


SECTIONS = (
    "places",
    "vocabulary",
    "sources",
    "articles",
    "claims",
    "links",
    "snapshots",
    "audit_events",
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def _source(ctx: ExportContext, source) -> dict[str, Any]:
    p = ctx.pseudonyms
    protected = p.is_protected(source.pk)
    return {
        "id": source.pk,
        "name": p.source_name(source.pk, source.name),
        "kind": source.kind,
        "aliases": [] if protected else [p.text(a) for a in source.aliases or []],
        "description": p.text(source.description),
        "reliability": source.reliability,
        "protected": source.protected,
        "created_by": username(source.created_by),
        "created_at": iso(source.created_at),
        "updated_at": iso(source.updated_at),
    }


def _article(ctx: ExportContext, article, exported_ids: set[int]) -> dict[str, Any]:
    p = ctx.pseudonyms
    body, _ = p.text_with_offsets(article.body)
    body_sha256 = (
        article.body_sha256
        if body == article.body
        else hashlib.sha256(body.encode("utf-8")).hexdigest()
    )
    previous = article.previous_version_id
    return {
        "id": article.pk,
        "title": p.text(article.title),
        "outlet": article.outlet_id,
        "url": p.url(article.url),
        "published_on": iso(article.published_on),
        "language": article.language,
        "body": body,
        "body_sha256": body_sha256,
        "previous_version": previous if previous in exported_ids else None,
        "imported_by": username(article.imported_by),
        "imported_at": iso(article.imported_at),
    }


def _place(place) -> dict[str, Any]:
    return {
        "id": place.pk,
        "name": place.name,
        "level": place.level,
        "parent": place.parent_id,
        "alternatives": list(place.alternatives or []),
    }


def _figure(ctx: ExportContext, f) -> dict[str, Any]:
    """A figure with its scope, in the keys of the figure contract
    (claims.services.figures); place and part_of are ids of this bundle."""
    return {
        "id": f.pk,
        "position": f.position,
        "value": plain_number(f.value),
        "qualifier": f.qualifier,
        "value_high": plain_number(f.value_high) if f.value_high is not None else None,
        "counted": ctx.pseudonyms.text(f.counted),
        "outcome": f.outcome.key if f.outcome_id else None,
        "population": f.population,
        "subgroups": list(f.subgroups or []),
        "place": f.place_id,
        "as_of": iso(f.as_of),
        "period_start": iso(f.period_start),
        "period_end": iso(f.period_end),
        "basis": f.basis,
        "part_of": f.part_of_id,
    }


def _claim(ctx: ExportContext, claim, anchors: Anchors) -> dict[str, Any]:
    p = ctx.pseudonyms
    anchor = anchors.of(claim)
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "quote": anchor.quote,
        "start": anchor.start,
        "end": anchor.end,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "source": claim.source_id,
        "kind": claim.kind,
        "statement": p.text(claim.statement),
        "summary": p.text(claim.summary),
        "status": claim.status,
        "credibility": claim.credibility,
        "verdict": claim.verdict,
        "rationale": p.text(claim.rationale),
        "proposed_by": username(claim.proposed_by),
        "proposed_at": iso(claim.proposed_at),
        "approved_by": username(claim.approved_by),
        "approved_at": iso(claim.approved_at),
        "approved_fingerprint": claim.approved_fingerprint,
        "dismissed_reason": p.text(claim.dismissed_reason),
        "assignee": username(claim.assignee),
        "anchor_state": claim.anchor_state,
        "version": claim.version,
        "created_by": username(claim.created_by),
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
        "intermediaries": [via.source_id for via in claim.intermediaries.all()],
        "figures": [_figure(ctx, f) for f in claim.figures.all()],
        "evidence": [
            {
                "id": e.pk,
                "stance": e.stance,
                "kind": e.kind,
                "url": p.url(e.url),
                "title": p.text(e.title),
                "publisher": e.publisher_id,
                "origin": e.origin_id,
                "published_on": iso(e.published_on),
                "excerpt": p.text(e.excerpt),
                "note": p.text(e.note),
                "link_state": e.link_state,
                "version": e.version,
                "added_by": username(e.added_by),
                "added_at": iso(e.added_at),
                "updated_at": iso(e.updated_at),
                "link_checks": [
                    {
                        "checked_at": iso(check.checked_at),
                        "outcome": check.outcome,
                        "status_code": check.status_code,
                        "sha256": check.sha256,
                        "detail": p.text(check.detail),
                    }
                    for check in e.link_checks.all()
                ],
            }
            for e in claim.evidence.all()
        ],
        "reviews": [
            {
                "id": r.pk,
                "reviewer": username(r.reviewer),
                "decision": r.decision,
                "verdict": r.verdict,
                "rationale": p.text(r.rationale),
                "proposed_by": username(r.proposed_by),
                "comment": p.text(r.comment),
                "claim_version": r.claim_version,
                "created_at": iso(r.created_at),
                "voided_at": iso(r.voided_at),
            }
            for r in claim.reviews.all()
        ],
    }


def _link(ctx: ExportContext, link) -> dict[str, Any]:
    return {
        "id": link.pk,
        "from_claim": link.from_claim_id,
        "to_claim": link.to_claim_id,
        "relation": link.relation,
        "note": ctx.pseudonyms.text(link.note),
        "created_by": username(link.created_by),
        "created_at": iso(link.created_at),
    }


# Said in a pseudonymised bundle, where each snapshot's WARC file would be.
WARC_OMITTED = (
    "Left out: the archived page holds the original names, and this bundle is "
    "pseudonymised. Importing it creates no snapshot for this archive."
)


def _snapshot(ctx: ExportContext, snapshot) -> dict[str, Any]:
    # A WARC holds the page as fetched, names and all: left out when
    # pseudonymising, and so is the hash of the file that is not there.
    keep_warc = not ctx.pseudonyms.active
    return {
        "id": snapshot.pk,
        "evidence": snapshot.evidence_id,
        "article": snapshot.article_id,
        "url": ctx.pseudonyms.url(snapshot.url),
        "final_url": ctx.pseudonyms.url(snapshot.final_url),
        "status_code": snapshot.status_code,
        "headers": ctx.pseudonyms.value(snapshot.headers),
        "content_type": snapshot.content_type,
        # The archived page body's hash (the WARC record's payload).
        "sha256": snapshot.sha256,
        # The WARC file's hash (what a download of it gives).
        "warc_sha256": snapshot.warc_sha256 if keep_warc else None,
        "warc_base64": base64.b64encode(bytes(snapshot.warc)).decode("ascii")
        if keep_warc
        else None,
        **({} if keep_warc else {"warc_omitted": WARC_OMITTED}),
        "text": ctx.pseudonyms.text(snapshot.text),
        "fetched_at": iso(snapshot.fetched_at),
    }


def event_record(event) -> dict[str, Any]:
    """The event as its chain recorded it; an imported one as it was before."""
    changes = event.changes or {}
    if set(changes) == {IMPORTED_EVENT_KEY}:
        return changes[IMPORTED_EVENT_KEY]
    return {**event_payload(event), "prev_hash": event.prev_hash, "hash": event.hash}


def _section(name: str, items: Iterable[str], *, first: bool = False) -> Iterator[str]:
    yield ("" if first else ", ") + f'"{name}": ['
    separator = "\n"
    for item in items:
        yield separator + item
        separator = ",\n"
    yield "\n]"


class _Counter:
    def __init__(self):
        self.counts = dict.fromkeys(SECTIONS, 0)

    def each(self, name: str, items: Iterable[str]) -> Iterator[str]:
        for item in items:
            self.counts[name] += 1
            yield item


def generate(ctx: ExportContext) -> Iterator[str]:
    scope = ctx.scope
    p = ctx.pseudonyms
    up_to, _ = chain_head(ctx.workspace)
    header = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "exported_at": iso(ctx.exported_at),
        "exported_by": ctx.actor_name,
        "workspace": {
            "id": ctx.workspace.pk,
            "slug": ctx.workspace.slug,
            "name": ctx.workspace_name,
            "description": p.text(ctx.workspace.description),
        },
        "scope": scope.as_dict(),
        "scope_label": ctx.scope_label,
        "real_names": ctx.include_real_names,
        "pseudonymised_sources": len(p.labels),
        # Ids are this workspace's; the sources themselves say which are protected.
        "protection": {
            **{k: v for k, v in ctx.protection.items() if k != "protected_sources"},
            "protected_source_count": len(ctx.protection.get("protected_sources", [])),
        },
        "audit_events_up_to": up_to,
        "figure_tolerance": str(
            type(ctx.workspace)
            .objects.filter(pk=ctx.workspace.pk)
            .values_list("figure_tolerance", flat=True)
            .get()
        ),
    }
    yield _dumps(header)[:-1] + ", "
    counter = _Counter()

    places = (_dumps(_place(place)) for place in places_for_bundle(scope))
    yield from _section("places", counter.each("places", places), first=True)
    vocabulary = (_dumps(item) for item in vocabulary_for_bundle(scope))
    yield from _section("vocabulary", counter.each("vocabulary", vocabulary))
    sources = (_dumps(_source(ctx, s)) for s in sources_in_scope(scope).iterator(chunk_size=500))
    yield from _section("sources", counter.each("sources", sources))

    article_ids = set(articles_in_scope(scope).values_list("pk", flat=True))
    articles = (
        _dumps(_article(ctx, a, article_ids))
        for a in articles_in_scope(scope).iterator(chunk_size=50)
    )
    yield from _section("articles", counter.each("articles", articles))

    def claims() -> Iterator[str]:
        anchors = Anchors(p)
        done = 0
        for batch in batches(claims_for_bundle(scope)):
            anchors.load(batch)
            yield ",\n".join(_dumps(_claim(ctx, claim, anchors)) for claim in batch)
            counter.counts["claims"] += len(batch)
            done += len(batch)
            ctx.report_progress(done)

    yield from _section("claims", claims())
    links = (_dumps(_link(ctx, link)) for link in links_in_scope(scope).iterator(chunk_size=2000))
    yield from _section("links", counter.each("links", links))
    snapshots = (
        _dumps(_snapshot(ctx, s)) for s in snapshots_in_scope(scope).iterator(chunk_size=20)
    )
    yield from _section("snapshots", counter.each("snapshots", snapshots))
    events = (
        _dumps(p.value(event_record(e)) if p.active else event_record(e))
        for e in events_in_scope(scope, up_to_sequence=up_to).iterator(chunk_size=2000)
    )
    yield from _section("audit_events", counter.each("audit_events", events))
    yield ', "counts": ' + _dumps(counter.counts) + "}\n"
