"""Writes on claims: create, update (optimistic locking), delete."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record, diff_fields
from claims.models import Article, Claim, ClaimIntermediary, Source
from claims.services.figures import clean_figures, write_figures
from claims.services.locking import claim_snapshot, lock_claim_version
from claims.services.workflow import void_approval_if_changed
from jobs.models import Job
from jobs.services import job_enqueue
from texttools.anchors import AnchorError, check_span, context_around, locate_quote
from vocabulary.services import reconcile_later
from workspaces.access import ANNOTATORS, require_role


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


def _write_children(claim: Claim, intermediaries: Sequence[Source] | None, figures) -> None:
    if intermediaries is not None:
        claim.intermediaries.all().delete()
        ClaimIntermediary.objects.bulk_create(
            ClaimIntermediary(claim=claim, position=i, source=via)
            for i, via in enumerate(intermediaries)
        )
    if figures is not None:
        write_figures(claim, figures)


def _find_matches_later(claim: Claim, actor) -> Job:
    """Ask the matching feature (by job kind) to look for corroboration and
    conflicts of the claim as it now reads."""
    return job_enqueue(
        workspace=claim.workspace,
        kind=Job.Kind.FIND_MATCHES,
        actor=actor,
        target=claim,
        message="Looking for corroboration and conflicts…",
        # An edit made while a match job runs needs a run of its own.
        reuse_running=False,
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
    summary: str = "",
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
    figures = clean_figures(figures, workspace=workspace)
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
        summary=" ".join(summary.split()),
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
    _find_matches_later(claim, actor)
    if figures:
        reconcile_later(workspace=workspace, actor=actor)
    return claim


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
    unknown = set(fields) - {
        "start",
        "end",
        "quote",
        "source",
        "kind",
        "statement",
        "summary",
        "credibility",
    }
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
    for text in ("statement", "summary"):
        if text in fields:
            fields[text] = " ".join(fields[text].split())
    for name, value in fields.items():
        setattr(claim, name, value)
    _check_sources(
        claim.article,
        claim.source,
        intermediaries
        if intermediaries is not None
        else [i.source for i in claim.intermediaries.all()],
    )
    figures = clean_figures(figures, workspace=claim.workspace) if figures is not None else None
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
    void_approval_if_changed(claim=claim, actor=actor, cause="claim edited")
    _find_matches_later(claim, actor)
    if figures is not None or before.get("figures"):
        reconcile_later(workspace=claim.workspace, actor=actor)
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
    had_figures = bool(before.get("figures"))
    workspace = claim.workspace
    claim.delete()
    if had_figures:
        reconcile_later(workspace=workspace, actor=actor)
