"""Writes on claims: create, update (optimistic locking), delete."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from claims.anchoring import AnchorError, check_span, context_around, locate_quote
from claims.exceptions import StaleVersion
from claims.models import Article, AuditEvent, Claim, ClaimIntermediary, Figure, Source
from claims.services.access import ANNOTATORS, require_role
from claims.services.audit import audit_record, diff_fields
from claims.services.matching import matches_find_start

# Fields whose change an audit event records (and an approval covers).
CLAIM_FIELDS = ("quote", "start", "end", "source_id", "kind", "statement", "credibility")


def claim_snapshot(claim: Claim) -> dict[str, Any]:
    """The claim as recorded in history, including its chain and figures."""
    snapshot = {name: getattr(claim, name) for name in CLAIM_FIELDS}
    snapshot["chain"] = list(
        claim.intermediaries.order_by("position").values_list("source_id", flat=True)
    )
    snapshot["figures"] = [
        {"value": str(f.value.normalize()), "qualifier": f.qualifier, "counted": f.counted}
        for f in claim.figures.order_by("position", "id")
    ]
    return snapshot


def _resolve_span(article: Article, start, end, quote) -> tuple[int, int, str]:
    try:
        if start is None or end is None:
            start, end = locate_quote(article.body, quote or "")
            return start, end, article.body[start:end]
        return start, end, check_span(article.body, int(start), int(end), quote)
    except AnchorError as exc:
        raise ValidationError({"quote": str(exc)}) from None


def _check_sources(article: Article, source: Source, intermediaries: Sequence[Source]) -> None:
    if source is None:
        raise ValidationError({"source": "Choose who makes this claim."})
    if source.workspace_id != article.workspace_id:
        raise ValidationError({"source": "That source belongs to another workspace."})
    for via in intermediaries:
        if via.workspace_id != article.workspace_id:
            raise ValidationError(
                {"intermediaries": "A source in the chain belongs to another workspace."}
            )
        if via.pk == source.pk:
            raise ValidationError(
                {"intermediaries": "The speaker cannot also relay their own claim."}
            )
    if len({via.pk for via in intermediaries}) != len(intermediaries):
        raise ValidationError({"intermediaries": "A source appears twice in the chain."})


def clean_figures(figures: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validated figure dicts: value >= 0, a known qualifier, something counted."""
    cleaned = []
    for index, figure in enumerate(figures, start=1):
        try:
            value = Decimal(str(figure.get("value", "")).replace(",", "").strip())
        except InvalidOperation:
            raise ValidationError(
                {"figures": f"Figure {index}: the value is not a number."}
            ) from None
        if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
            raise ValidationError(
                {"figures": f"Figure {index}: the value must be between 0 and a trillion."}
            )
        qualifier = figure.get("qualifier") or Figure.Qualifier.EXACT
        if qualifier not in Figure.Qualifier.values:
            raise ValidationError({"figures": f"Figure {index}: unknown qualifier “{qualifier}”."})
        counted = " ".join(str(figure.get("counted", "")).split())
        if not counted:
            raise ValidationError({"figures": f"Figure {index}: say what is counted."})
        cleaned.append(
            {
                "value": value.quantize(Decimal("0.01")),
                "qualifier": qualifier,
                "counted": counted[:200],
            }
        )
    return cleaned


def _write_children(claim: Claim, intermediaries: Sequence[Source] | None, figures) -> None:
    if intermediaries is not None:
        claim.intermediaries.all().delete()
        ClaimIntermediary.objects.bulk_create(
            ClaimIntermediary(claim=claim, position=i, source=via)
            for i, via in enumerate(intermediaries)
        )
    if figures is not None:
        claim.figures.all().delete()
        Figure.objects.bulk_create(
            Figure(claim=claim, position=i, **figure) for i, figure in enumerate(figures)
        )


@transaction.atomic
def claim_create(
    *,
    article: Article,
    actor,
    source: Source,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    kind: str = Claim.Kind.OTHER,
    statement: str = "",
    credibility: int = Claim.Credibility.CANNOT_JUDGE,
    intermediaries: Sequence[Source] = (),
    figures: Sequence[dict[str, Any]] = (),
) -> Claim:
    """Anchor a new claim in an article: the quote must be exactly the text at
    its offsets (or, typed without offsets, occur exactly once)."""
    workspace = article.workspace
    require_role(workspace=workspace, user=actor, roles=ANNOTATORS, action="annotate claims")
    start, end, quote = _resolve_span(article, start, end, quote)
    _check_sources(article, source, intermediaries)
    figures = clean_figures(figures)
    prefix, suffix = context_around(article.body, start, end)
    claim = Claim(
        workspace=workspace,
        article=article,
        quote=quote,
        start=start,
        end=end,
        prefix=prefix,
        suffix=suffix,
        source=source,
        kind=kind,
        statement=" ".join(statement.split()),
        credibility=credibility,
        created_by=actor,
    )
    claim.full_clean()
    claim.save()
    _write_children(claim, intermediaries, figures)
    audit_record(
        workspace=workspace,
        actor=actor,
        obj=claim,
        action=AuditEvent.Action.CREATE,
        changes=diff_fields({}, claim_snapshot(claim)),
    )
    matches_find_start(claim=claim, actor=actor)
    return claim


def lock_claim_version(claim_id: int, expected_version: int) -> Claim:
    """Lock the claim row and check the version the actor saw is still current.

    The conditional UPDATE both locks the row and bumps the version, so of two
    concurrent saves carrying the same version exactly one gets through.
    """
    bumped = Claim.objects.filter(pk=claim_id, version=expected_version).update(
        version=F("version") + 1
    )
    if not bumped:
        current = Claim.objects.filter(pk=claim_id).first()
        if current is None:
            raise StaleVersion("This claim was deleted meanwhile; nothing was saved.")
        raise StaleVersion(
            f"Someone saved this claim while you were editing (you had version {expected_version}, "
            f"it is now version {current.version}); nothing was saved. Review the changes below "
            "and apply yours again.",
            current=current,
            changed_fields=changed_since(current, expected_version),
        )
    return Claim.objects.select_related("workspace", "article").get(pk=claim_id)


def changed_since(claim: Claim, version: int) -> list[str]:
    """Names of the fields changed on a claim after the given version, from its history."""
    events = AuditEvent.objects.filter(
        workspace_id=claim.workspace_id, object_type="claim", object_id=str(claim.pk)
    ).order_by("-sequence")[:50]
    changed: list[str] = []
    for event in events:
        versions = event.changes.get("version")
        if versions and versions[0] is not None and versions[0] < version:
            break
        for name in event.changes:
            if name != "version" and name not in changed:
                changed.append(name)
    return changed


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    actor,
    expected_version: int,
    intermediaries: Sequence[Source] | None = None,
    figures: Sequence[dict[str, Any]] | None = None,
    **fields: Any,
) -> Claim:
    """Change a claim the actor loaded at expected_version; refuse if it moved on."""
    require_role(workspace=claim.workspace, user=actor, roles=ANNOTATORS, action="edit claims")
    unknown = set(fields) - {"start", "end", "quote", "source", "kind", "statement", "credibility"}
    if unknown:
        raise TypeError(f"Unknown claim fields: {sorted(unknown)}")
    claim = lock_claim_version(claim.pk, expected_version)
    before = claim_snapshot(claim)
    before["version"] = expected_version
    if {"start", "end", "quote"} & set(fields):
        start, end, quote = _resolve_span(
            claim.article,
            fields.pop("start", None),
            fields.pop("end", None),
            fields.pop("quote", None),
        )
        claim.start, claim.end, claim.quote = start, end, quote
        claim.prefix, claim.suffix = context_around(claim.article.body, start, end)
    if "statement" in fields:
        fields["statement"] = " ".join(fields["statement"].split())
    for name, value in fields.items():
        setattr(claim, name, value)
    _check_sources(
        claim.article,
        claim.source,
        intermediaries
        if intermediaries is not None
        else [i.source for i in claim.intermediaries.all()],
    )
    figures = clean_figures(figures) if figures is not None else None
    claim.full_clean()
    claim.save()
    _write_children(claim, intermediaries, figures)
    after = claim_snapshot(claim)
    after["version"] = claim.version
    audit_record(
        workspace=claim.workspace,
        actor=actor,
        obj=claim,
        action=AuditEvent.Action.UPDATE,
        changes=diff_fields(before, after),
    )
    # Imported here: the workflow builds on this module's snapshot and locking.
    from claims.services.workflow import void_approval_if_changed

    void_approval_if_changed(claim=claim, actor=actor, cause="claim edited")
    matches_find_start(claim=claim, actor=actor)
    claim.refresh_from_db()
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, actor, expected_version: int) -> None:
    require_role(workspace=claim.workspace, user=actor, roles=ANNOTATORS, action="delete claims")
    claim = lock_claim_version(claim.pk, expected_version)
    before = claim_snapshot(claim)
    audit_record(
        workspace=claim.workspace,
        actor=actor,
        obj=claim,
        action=AuditEvent.Action.DELETE,
        changes=diff_fields(before, {}),
    )
    claim.delete()
