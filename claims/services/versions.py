"""New versions of an article, and carrying its claims over to them.

An article's text never changes once claims point into it, so an edited text
is imported as a new Article (previous_version = the old one) and its claims
are re-anchored on the new text (claims.anchoring.reanchor):

- A claim placed confidently MOVES to the new version: claim.article = new,
  new offsets, prefix and suffix, version + 1, and one audit event recording
  the old and new article and offsets, the method and the score. Its
  anchor_state is "anchored" when its exact quote was found, "reanchored"
  when an approximate match changed the quote: the latter voids an approval
  (the approved words changed), the former keeps it, re-stamped, because the
  approved content is the same words on the new version.
- A claim that cannot be placed (score below the threshold, or the closest
  passage gives different numbers) STAYS on the old version with
  anchor_state "orphaned" and an audit event saying why; it is listed on the
  new version's page until an analyst re-places it (claim_replace) by
  selecting or typing its passage in the new text. Nothing moves silently.

Small articles (up to SYNC_CLAIM_LIMIT claims) are re-anchored in the import's
own transaction, so the analyst lands on a finished new version; larger ones
in a REANCHOR job with progress. Each claim is handled in its own savepoint
and claims already moved or orphaned are skipped, so the job is idempotent.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record, diff_fields
from claims.exceptions import StaleVersion
from claims.models import Article, Claim
from claims.services.articles import article_import
from claims.services.workflow import approval_fingerprint, void_approval_if_changed
from jobs.models import Job
from jobs.runner import JobFailed, job_progress
from jobs.services import job_enqueue
from texttools.anchors import AnchorError, check_span, context_around, locate_quote, offset_mapper
from texttools.anchors import reanchor as reanchor_quote
from workspaces.access import ANNOTATORS, require_role

SYNC_CLAIM_LIMIT = 25


MAX_VERSION_HOPS = 100


AnchorState = Claim.AnchorState


@dataclass(frozen=True)
class VersionImport:
    article: Article
    job: Job | None
    result: dict | None


def _anchor_snapshot(claim: Claim) -> dict:
    return {
        "article_id": claim.article_id,
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote,
        "anchor_state": claim.anchor_state,
        "version": claim.version,
    }


@transaction.atomic
def article_version_import(
    *,
    article: Article,
    actor,
    body: str,
    title: str = "",
    url: str | None = None,
    published_on: datetime.date | None = None,
) -> VersionImport:
    """Import an edited text as the next version of an article and carry its
    claims over. Only the latest version gets a successor, so versions form
    one line, never a tree."""
    require_role(
        workspace=article.workspace, user=actor, roles=ANNOTATORS, action="import new versions"
    )
    # Locking the old version serialises two analysts importing at once.
    article = Article.objects.select_for_update().select_related("workspace").get(pk=article.pk)
    newer = article.newer_versions.order_by("imported_at", "id").first()
    if newer is not None:
        raise ValidationError(
            {
                "body": f"This article already has a newer version (“{newer.title}”); "
                "import the edited text from the latest version."
            }
        )
    new = article_import(
        workspace=article.workspace,
        actor=actor,
        title=title or article.title,
        body=body,
        outlet=article.outlet,
        url=article.url if url is None else url,
        published_on=published_on or article.published_on,
        language=article.language,
        previous_version=article,
    )
    pending = Claim.objects.filter(article=article).exclude(anchor_state=AnchorState.ORPHANED)
    if pending.count() <= SYNC_CLAIM_LIMIT:
        result = claims_reanchor(old=article, new=new, actor=actor)
        return VersionImport(new, None, result)
    job = job_enqueue(
        workspace=article.workspace,
        kind=Job.Kind.REANCHOR,
        actor=actor,
        target=new,
        params={"from_article": article.pk},
        message="Re-anchoring claims on the new version…",
    )
    return VersionImport(new, job, None)


def claims_reanchor(
    *, old: Article, new: Article, actor, progress: Callable[[int, int], None] | None = None
) -> dict:
    """Carry the old version's claims over to the new one. Returns counts."""
    mapper = offset_mapper(old.body, new.body)
    ids = list(
        Claim.objects.filter(article=old)
        .exclude(anchor_state=AnchorState.ORPHANED)
        .order_by("start", "id")
        .values_list("pk", flat=True)
    )
    counts = {"exact": 0, "approximate": 0, "orphaned": 0, "skipped": 0}
    for done, pk in enumerate(ids, start=1):
        outcome = _reanchor_one(pk, old=old, new=new, actor=actor, mapper=mapper)
        counts[outcome] += 1
        if progress is not None:
            progress(done, len(ids))
    counts["moved"] = counts["exact"] + counts["approximate"]
    return counts


@transaction.atomic
def _reanchor_one(pk: int, *, old: Article, new: Article, actor, mapper) -> str:
    claim = (
        Claim.objects.select_for_update()
        .filter(pk=pk, article=old)
        .exclude(anchor_state=AnchorState.ORPHANED)
        .first()
    )
    if claim is None:
        return "skipped"  # moved, orphaned or deleted meanwhile (a re-run)
    attempt = reanchor_quote(
        new.body,
        quote=claim.quote,
        prefix=claim.prefix,
        suffix=claim.suffix,
        expected=mapper(claim.start),
    )
    before = _anchor_snapshot(claim)
    claim.version += 1
    if attempt.placement is None:
        claim.anchor_state = AnchorState.ORPHANED
        claim.save(update_fields=["anchor_state", "version", "updated_at"])
        changes = diff_fields(before, _anchor_snapshot(claim))
        changes["reanchor"] = [
            None,
            {
                "new_article": new.pk,
                "outcome": "orphaned",
                "best_score": attempt.best_score,
                "reason": attempt.reason,
            },
        ]
        audit_record(
            workspace=claim.workspace,
            actor=actor,
            obj=claim,
            action=AuditEvent.Action.UPDATE,
            changes=changes,
        )
        return "orphaned"
    placement = attempt.placement
    quote = new.body[placement.start : placement.end]
    same_words = quote == claim.quote
    claim.article = new
    claim.start, claim.end, claim.quote = placement.start, placement.end, quote
    claim.prefix, claim.suffix = context_around(new.body, placement.start, placement.end)
    claim.anchor_state = AnchorState.ANCHORED if same_words else AnchorState.REANCHORED
    claim.full_clean()
    claim.save()
    changes = diff_fields(before, _anchor_snapshot(claim))
    changes["reanchor"] = [
        None,
        {
            "from_article": old.pk,
            "new_article": new.pk,
            "outcome": placement.method,
            "score": placement.score,
        },
    ]
    _settle_approval(claim, actor=actor, same_words=same_words, changes=changes)
    audit_record(
        workspace=claim.workspace,
        actor=actor,
        obj=claim,
        action=AuditEvent.Action.UPDATE,
        changes=changes,
    )
    if not same_words:
        void_approval_if_changed(
            claim=claim, actor=actor, cause="quote changed when re-anchored on a new version"
        )
    return "exact" if same_words else "approximate"


def _settle_approval(claim: Claim, *, actor, same_words: bool, changes: dict) -> None:
    """The same words found on the new version keep their approval; its
    fingerprint (which covers the offsets) is re-stamped and the event says so."""
    if not same_words or claim.status != Claim.Status.APPROVED:
        return
    fingerprint = approval_fingerprint(claim)
    if fingerprint != claim.approved_fingerprint:
        Claim.objects.filter(pk=claim.pk).update(approved_fingerprint=fingerprint)
        claim.approved_fingerprint = fingerprint
        changes["approval"] = [None, "kept: the approved quote is unchanged on the new version"]


def reanchor_job(job: Job) -> dict:
    new = Article.objects.filter(pk=job.target_id, workspace_id=job.workspace_id).first()
    old = Article.objects.filter(
        pk=job.params.get("from_article"), workspace_id=job.workspace_id
    ).first()
    if new is None or old is None or new.previous_version_id != old.pk:
        raise JobFailed("The new version or its previous version no longer exists.")

    def progress(done: int, total: int) -> None:
        job_progress(job, done=done, total=total, message=f"Re-anchored {done} of {total} claims…")

    counts = claims_reanchor(old=old, new=new, actor=job.created_by, progress=progress)
    return {
        "message": f"{counts['moved']} claims carried over, {counts['orphaned']} to re-place by hand.",
        **counts,
    }


def is_newer_version(article: Article, than: Article) -> bool:
    """Does `article` descend from `than` through previous_version links?"""
    current = article
    for _ in range(MAX_VERSION_HOPS):
        if current.previous_version_id is None:
            return False
        if current.previous_version_id == than.pk:
            return True
        current = Article.objects.only("pk", "previous_version_id").get(
            pk=current.previous_version_id
        )
    return False


@transaction.atomic
def claim_replace(
    *,
    claim: Claim,
    article: Article,
    actor,
    expected_version: int,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
) -> Claim:
    """Re-place an orphaned claim on a newer version of its article, where the
    analyst selected (offsets) or typed (a quote occurring once) its passage.
    The ordinary claim edit only moves a claim within its own article."""
    require_role(workspace=claim.workspace, user=actor, roles=ANNOTATORS, action="re-place claims")
    if article.workspace_id != claim.workspace_id:
        raise ValidationError({"article": "No such article in this workspace."})
    locked = Claim.objects.select_for_update().select_related("workspace").get(pk=claim.pk)
    if locked.version != expected_version:
        raise StaleVersion(
            f"Someone changed this claim meanwhile (you had version {expected_version}, it is "
            f"now version {locked.version}); reload the page and try again."
        )
    if locked.anchor_state != AnchorState.ORPHANED:
        raise ValidationError(
            {
                "quote": "Only an orphaned claim is re-placed here; edit other claims in their article."
            }
        )
    if not is_newer_version(article, locked.article):
        raise ValidationError({"article": "Choose a newer version of the claim's article."})
    try:
        if start is None or end is None:
            start, end = locate_quote(article.body, (quote or "").strip())
            quote = article.body[start:end]
        else:
            quote = check_span(article.body, int(start), int(end), quote)
    except AnchorError as exc:
        raise ValidationError({"quote": str(exc)}) from None
    before = _anchor_snapshot(locked)
    old_article_id = locked.article_id
    locked.article = article
    locked.start, locked.end, locked.quote = int(start), int(end), quote
    locked.prefix, locked.suffix = context_around(article.body, locked.start, locked.end)
    locked.anchor_state = AnchorState.REANCHORED
    locked.version += 1
    locked.full_clean()
    locked.save()
    changes = diff_fields(before, _anchor_snapshot(locked))
    changes["reanchor"] = [
        None,
        {"from_article": old_article_id, "new_article": article.pk, "outcome": "placed by hand"},
    ]
    audit_record(
        workspace=locked.workspace,
        actor=actor,
        obj=locked,
        action=AuditEvent.Action.UPDATE,
        changes=changes,
    )
    void_approval_if_changed(claim=locked, actor=actor, cause="re-placed on a new version")
    locked.refresh_from_db()
    return locked
