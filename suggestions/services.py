"""Suggested claims: the job that proposes them, and the analyst's decisions.

The extractor (extraction) reads an article and proposes candidate
claims; they are stored as ClaimSuggestion rows and nothing becomes a Claim
until an analyst accepts it. Accepting goes through claim_create, so a
suggested claim is checked and audited exactly like a hand-made one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, diff_fields
from claims.exceptions import TransitionNotAllowed
from claims.models import Article, Claim, Source
from claims.services.claims import claim_create
from claims.services.figures import FIGURE_KEYS, usable_scope
from claims.services.sources import source_create
from extraction import KnownSource, SuggestedClaim, suggest_claims
from jobs.models import Job
from jobs.runner import JobFailed, job_progress
from jobs.services import job_enqueue
from suggestions.models import ClaimSuggestion
from suggestions.selectors import pending_suggestions
from workspaces.access import ANNOTATORS, require_role
from workspaces.ids import in_id_range
from workspaces.models import Workspace

# Suggestions are stored in batches, with progress recorded after each.
BATCH_SIZE = 25


Status = ClaimSuggestion.Status


@transaction.atomic
def suggestions_start(*, article: Article, actor) -> Job:
    """Queue the suggestion job for an article (or return the one already
    queued or running for it). The job runs after the transaction commits."""
    require_role(workspace=article.workspace, user=actor, roles=ANNOTATORS, action="suggest claims")
    return job_enqueue(
        workspace=article.workspace,
        kind=Job.Kind.SUGGEST_CLAIMS,
        actor=actor,
        target=article,
        message="Waiting for a worker to read the article…",
    )


def known_sources(workspace: Workspace) -> list[KnownSource]:
    return [
        KnownSource(key=s.pk, name=s.name, aliases=tuple(s.aliases or ()), kind=s.kind)
        for s in Source.objects.filter(workspace=workspace).order_by("pk")
    ]


class SourceBook:
    """The workspace's sources looked up by pk, name or alias (case-insensitive).
    A source created through the book is found by later lookups, so a bulk
    acceptance creates a proposed source once however many claims it makes."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.by_pk: dict[int, Source] = {}
        self.by_name: dict[str, Source] = {}
        for source in Source.objects.filter(workspace=workspace).order_by("pk"):
            self.add(source)

    def add(self, source: Source) -> None:
        self.by_pk[source.pk] = source
        for alias in source.aliases or ():
            self.by_name.setdefault(" ".join(str(alias).split()).casefold(), source)
        # A source's own name wins over another source's alias.
        self.by_name[" ".join(source.name.split()).casefold()] = source

    def find(self, name: str) -> Source | None:
        return self.by_name.get(" ".join(name.split()).casefold())

    def find_or_create(self, *, name: str, kind: str, actor) -> Source:
        source = self.find(name)
        if source is None:
            kind = kind if kind in Source.Kind.values else Source.Kind.OTHER
            source = source_create(workspace=self.workspace, actor=actor, name=name, kind=kind)
            self.add(source)
        return source


def _figure_dict(figure) -> dict[str, Any]:
    """A suggested figure as stored: where it is, and the keys of the figure
    contract (claims.services.figures) the extractor filled in."""
    time = getattr(figure, "time", None) or {}
    scope = {
        "value_high": getattr(figure, "value_high", None),
        "outcome": getattr(figure, "outcome", None),
        "population": getattr(figure, "population", None),
        "subgroups": list(getattr(figure, "subgroups", None) or []),
        "place": getattr(figure, "place", None),
        "as_of": time.get("as_of"),
        "period_start": time.get("from"),
        "period_end": time.get("to"),
        "basis": getattr(figure, "basis", None),
        "part_of": getattr(figure, "part_of", None),
    }
    return {
        "value": figure.value,
        "qualifier": figure.qualifier,
        "counted": figure.counted,
        "start": figure.start,
        "end": figure.end,
        "text": figure.text,
        **{key: value for key, value in scope.items() if value not in (None, "", [])},
    }


def _suggestion_from(found: SuggestedClaim, *, article: Article, book: SourceBook):
    """A ClaimSuggestion row from the extractor's output, its names resolved
    against the workspace's sources; None if its span does not hold its quote."""
    body = article.body
    if not (0 <= found.start < found.end <= len(body)) or body[found.start : found.end] != (
        found.quote
    ):
        return None
    source = book.by_pk.get(found.source_key) if found.source_key is not None else None
    proposed_name = ""
    if source is None:
        proposed_name = " ".join((found.proposed_source_name or found.speaker).split())[:200]
        source = book.find(proposed_name) if proposed_name else None
        if source is not None:
            proposed_name = ""
    chain = []
    for name in found.chain:
        link = book.find(name)
        chain.append({"name": link.name if link else name, "source": link.pk if link else None})
    proposed_kind = found.proposed_source_kind
    return ClaimSuggestion(
        workspace_id=article.workspace_id,
        article=article,
        start=found.start,
        end=found.end,
        quote=found.quote,
        speaker=found.speaker[:200],
        source=source,
        proposed_source_name=proposed_name,
        proposed_source_kind=proposed_kind if proposed_kind in Source.Kind.values else "other",
        chain=chain,
        kind=found.kind if found.kind in Claim.Kind.values else Claim.Kind.OTHER,
        statement=" ".join(found.statement.split())[:300],
        figures=[_figure_dict(f) for f in found.figures],
        cue=found.cue[:40],
        confidence=max(0.0, min(1.0, float(found.confidence))),
    )


@transaction.atomic
def _store_batch(article: Article, rows: list[ClaimSuggestion], *, actor) -> int:
    """Store some suggestions with one audit event saying how many were added.
    A row another run stored meanwhile is skipped by the unique constraint."""
    pending = ClaimSuggestion.objects.filter(article=article).pending()
    before = pending.count()
    ClaimSuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    after = pending.count()
    if after > before:
        audit_record(
            workspace=article.workspace,
            actor=actor,
            obj=article,
            action=AuditEvent.Action.UPDATE,
            changes={"pending_suggestions": [before, after]},
        )
    return max(0, after - before)


def suggest_claims_job(job: Job) -> dict[str, Any]:
    """Propose claims for one article. Idempotent: a span already suggested
    (pending, accepted or dismissed) or already annotated as a claim is
    skipped, and the unique (article, start, end) constraint is the last guard
    against two runs racing."""
    article = (
        Article.objects.select_related("workspace")
        .filter(pk=int(job.target_id or 0), workspace_id=job.workspace_id)
        .first()
    )
    if article is None:
        raise JobFailed("The article no longer exists.")
    job_progress(job, done=0, total=0, message="Reading the article…")
    book = SourceBook(article.workspace)
    found = suggest_claims(article.body, known_sources(article.workspace))
    taken = set(ClaimSuggestion.objects.filter(article=article).values_list("start", "end")) | set(
        Claim.objects.filter(article=article).values_list("start", "end")
    )
    rows = []
    for candidate in found:
        if (candidate.start, candidate.end) in taken:
            continue
        row = _suggestion_from(candidate, article=article, book=book)
        if row is not None:
            taken.add((row.start, row.end))
            rows.append(row)
    job_progress(job, done=0, total=len(rows), message=f"Storing {len(rows)} suggestions…")
    created = 0
    for offset in range(0, len(rows), BATCH_SIZE):
        created += _store_batch(article, rows[offset : offset + BATCH_SIZE], actor=job.created_by)
        done = min(offset + BATCH_SIZE, len(rows))
        job_progress(job, done=done, message=f"Stored {done} of {len(rows)} suggestions…")
    noun = "suggestion" if created == 1 else "suggestions"
    return {
        "message": f"{created} new {noun} ({len(found)} candidate claims found).",
        "found": len(found),
        "created": created,
        "skipped": len(found) - created,
    }


def _label(suggestion: ClaimSuggestion) -> str:
    quote = suggestion.quote if len(suggestion.quote) <= 60 else suggestion.quote[:59] + "…"
    return f"“{quote}” (characters {suggestion.start}–{suggestion.end})"


def _take(suggestion: ClaimSuggestion, *, actor, status: str) -> None:
    """Move a pending suggestion to its decision with a conditional update:
    of two analysts deciding at once, exactly one gets through."""
    now = timezone.now()
    taken = ClaimSuggestion.objects.filter(pk=suggestion.pk, status=Status.PENDING).update(
        status=status, decided_by=actor, decided_at=now
    )
    if not taken:
        current = ClaimSuggestion.objects.filter(pk=suggestion.pk).values_list("status", flat=True)
        state = current[0] if current else "deleted"
        raise TransitionNotAllowed(
            f"The suggestion {_label(suggestion)} was already {state}; nothing was changed."
        )
    suggestion.status, suggestion.decided_by, suggestion.decided_at = status, actor, now


def _record_decision(suggestion: ClaimSuggestion, *, actor) -> None:
    audit_record(
        workspace=suggestion.workspace,
        actor=actor,
        obj=suggestion,
        action=AuditEvent.Action.UPDATE,
        changes=diff_fields(
            {"status": Status.PENDING, "claim": None},
            {"status": suggestion.status, "claim": suggestion.claim_id},
        ),
    )


def _resolve_speaker(suggestion: ClaimSuggestion, book: SourceBook, actor) -> Source:
    if suggestion.source_id is not None and suggestion.source_id in book.by_pk:
        return book.by_pk[suggestion.source_id]
    name = " ".join((suggestion.proposed_source_name or suggestion.speaker).split())
    if not name:
        raise ValidationError({"source": "The suggestion names no speaker; edit it to choose one."})
    return book.find_or_create(name=name, kind=suggestion.proposed_source_kind, actor=actor)


def _resolve_chain(suggestion: ClaimSuggestion, book: SourceBook, speaker: Source, actor):
    chain: list[Source] = []
    for link in suggestion.chain or []:
        source = book.by_pk.get(link.get("source")) if link.get("source") else None
        name = " ".join(str(link.get("name", "")).split())
        if source is None and name:
            source = book.find_or_create(name=name, kind=Source.Kind.OTHER, actor=actor)
        # The extractor may name the speaker or one relay twice; a chain cannot.
        if source is not None and source.pk != speaker.pk and source not in chain:
            chain.append(source)
    return chain


def _accept(suggestion: ClaimSuggestion, *, actor, book: SourceBook) -> Claim:
    _take(suggestion, actor=actor, status=Status.ACCEPTED)
    if Claim.objects.filter(
        article_id=suggestion.article_id, start=suggestion.start, end=suggestion.end
    ).exists():
        raise ValidationError(
            "A claim already annotates exactly this passage; dismiss the suggestion instead."
        )
    speaker = _resolve_speaker(suggestion, book, actor)
    claim = claim_create(
        article=suggestion.article,
        actor=actor,
        source=speaker,
        start=suggestion.start,
        end=suggestion.end,
        quote=suggestion.quote,
        kind=suggestion.kind,
        statement=suggestion.statement,
        intermediaries=_resolve_chain(suggestion, book, speaker, actor),
        # The scope keys of the figure contract pass through when the extractor
        # gave them; what the workspace's vocabulary cannot resolve is left for
        # the analyst (the figure then needs scope) instead of refusing the claim.
        figures=usable_scope(
            [
                {key: f[key] for key in FIGURE_KEYS if f.get(key) not in (None, "", [])}
                for f in suggestion.figures or []
            ],
            workspace=suggestion.workspace,
        ),
    )
    _link_claim(suggestion, claim, actor=actor)
    return claim


def _link_claim(suggestion: ClaimSuggestion, claim: Claim, *, actor) -> None:
    ClaimSuggestion.objects.filter(pk=suggestion.pk).update(claim=claim)
    suggestion.claim = claim
    _record_decision(suggestion, actor=actor)


def _require_annotator(workspace: Workspace, actor, action: str) -> None:
    require_role(workspace=workspace, user=actor, roles=ANNOTATORS, action=action)


@transaction.atomic
def suggestion_accept(*, suggestion: ClaimSuggestion, actor) -> Claim:
    """Turn a pending suggestion into a claim: its speaker becomes the claim's
    source (a proposed speaker becomes a new source, or reuses the source of
    that name), its chain the intermediaries, its figures the claim's figures."""
    _require_annotator(suggestion.workspace, actor, "accept suggested claims")
    return _accept(suggestion, actor=actor, book=SourceBook(suggestion.workspace))


@transaction.atomic
def suggestion_accept_edited(*, suggestion: ClaimSuggestion, actor, **claim_fields: Any) -> Claim:
    """Accept a suggestion as the analyst edited it in the claim form: the
    claim is made from the form's fields (claim_create's arguments)."""
    _require_annotator(suggestion.workspace, actor, "accept suggested claims")
    _take(suggestion, actor=actor, status=Status.ACCEPTED)
    claim = claim_create(article=suggestion.article, actor=actor, **claim_fields)
    _link_claim(suggestion, claim, actor=actor)
    return claim


@transaction.atomic
def suggestion_dismiss(*, suggestion: ClaimSuggestion, actor) -> ClaimSuggestion:
    """Drop a suggestion. It stays stored, so a later run never proposes it again."""
    _require_annotator(suggestion.workspace, actor, "dismiss suggested claims")
    _take(suggestion, actor=actor, status=Status.DISMISSED)
    _record_decision(suggestion, actor=actor)
    return suggestion


def _selected(article: Article, ids: Iterable[int] | None) -> list[ClaimSuggestion]:
    """The pending suggestions chosen (all of them with ids=None), refusing any
    id that is not a pending suggestion of this article."""
    pending = pending_suggestions(article=article).select_related("workspace", "article__workspace")
    if ids is None:
        return list(pending)
    wanted = {int(i) for i in ids}
    if not wanted:
        raise ValidationError("Select at least one suggestion.")
    chosen = list(pending.filter(pk__in=[i for i in wanted if in_id_range(i)]))
    if len(chosen) != len(wanted):
        raise ValidationError(
            "Some selected suggestions are no longer pending (someone decided them "
            "meanwhile); reload the list. Nothing was changed."
        )
    return chosen


@transaction.atomic
def suggestions_accept(*, article: Article, actor, ids: Sequence[int] | None = None) -> list[Claim]:
    """Accept several suggestions (all pending ones with ids=None) in one
    transaction: if one fails validation, none is accepted and the error
    names the suggestion that failed."""
    _require_annotator(article.workspace, actor, "accept suggested claims")
    book = SourceBook(article.workspace)
    claims = []
    for suggestion in _selected(article, ids):
        try:
            claims.append(_accept(suggestion, actor=actor, book=book))
        except ValidationError as exc:
            raise ValidationError(
                f"Suggestion {_label(suggestion)} cannot be accepted: "
                f"{' '.join(exc.messages)} Nothing was accepted."
            ) from exc
    return claims


@transaction.atomic
def suggestions_dismiss(*, article: Article, actor, ids: Sequence[int] | None = None) -> int:
    """Dismiss several suggestions (all pending ones with ids=None) at once."""
    _require_annotator(article.workspace, actor, "dismiss suggested claims")
    chosen = _selected(article, ids)
    for suggestion in chosen:
        _take(suggestion, actor=actor, status=Status.DISMISSED)
        _record_decision(suggestion, actor=actor)
    return len(chosen)
