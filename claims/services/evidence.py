"""Writes on evidence. Any change voids an approval that covered it."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from audit.models import AuditEvent
from audit.services import audit_record, diff_fields
from claims.exceptions import StaleVersion
from claims.models import Claim, Evidence, Source
from claims.services.workflow import void_approval_if_changed
from jobs.models import Job
from jobs.services import job_enqueue
from workspaces.access import ANNOTATORS, require_role

EVIDENCE_FIELDS = (
    "stance",
    "kind",
    "url",
    "title",
    "publisher_id",
    "origin_id",
    "published_on",
    "excerpt",
    "note",
)


def _snapshot(evidence: Evidence) -> dict:
    return {name: getattr(evidence, name) for name in EVIDENCE_FIELDS}


def _check_sources(claim: Claim, *sources: Source | None) -> None:
    for source in sources:
        if source is not None and source.workspace_id != claim.workspace_id:
            raise ValidationError({"publisher": "That source belongs to another workspace."})


def _after_change(evidence: Evidence, actor, *, url_changed: bool, cause: str) -> None:
    void_approval_if_changed(claim=evidence.claim, actor=actor, cause=cause)
    if url_changed and evidence.url:
        evidence_archive_later(evidence=evidence, actor=actor)


def evidence_archive_later(*, evidence: Evidence, actor) -> Job:
    """Queue the job that archives the evidence's URL (the archive feature runs
    it), or return the one already queued or running for that URL. The link
    state now describes the new address: not archived yet. Any other address
    (ftp://...) still gets a job: the fetcher refuses it and the job's error
    says why, where the analyst looks for the archive."""
    url = (evidence.url or "").strip()
    if not url:
        raise ValidationError({"url": "This evidence has no web address to archive."})
    Evidence.objects.filter(pk=evidence.pk).exclude(link_state=Evidence.LinkState.UNCHECKED).update(
        link_state=Evidence.LinkState.UNCHECKED
    )
    evidence.link_state = Evidence.LinkState.UNCHECKED
    return job_enqueue(
        workspace=evidence.workspace,
        kind=Job.Kind.ARCHIVE_EVIDENCE,
        actor=actor,
        target=evidence,
        params={"url": url},
        message="Waiting for a worker to archive the link…",
    )


def evidence_set_link_state(*, evidence: Evidence, state: str, actor=None) -> None:
    """Record a new link state from an archive or a link check (audited when it
    changes); never touches the evidence's version, so it cannot make an
    analyst's edit stale."""
    before = Evidence.objects.filter(pk=evidence.pk).values_list("link_state", flat=True).first()
    if before is None or before == state:
        return
    Evidence.objects.filter(pk=evidence.pk).update(link_state=state)
    evidence.link_state = state
    audit_record(
        workspace=evidence.workspace,
        actor=actor,
        obj=evidence,
        action=AuditEvent.Action.UPDATE,
        changes={"link_state": [before, state]},
    )


@transaction.atomic
def evidence_create(
    *,
    claim: Claim,
    actor,
    stance: str,
    title: str,
    kind: str = Evidence.Kind.OTHER,
    url: str = "",
    publisher: Source | None = None,
    origin: Source | None = None,
    published_on: datetime.date | None = None,
    excerpt: str = "",
    note: str = "",
) -> Evidence:
    require_role(workspace=claim.workspace, user=actor, roles=ANNOTATORS, action="add evidence")
    _check_sources(claim, publisher, origin)
    evidence = Evidence(
        workspace=claim.workspace,
        claim=claim,
        stance=stance,
        kind=kind,
        url=url.strip(),
        title=" ".join(title.split()),
        publisher=publisher,
        origin=origin,
        published_on=published_on,
        excerpt=excerpt.strip(),
        note=note.strip(),
        added_by=actor,
    )
    evidence.full_clean()
    evidence.save()
    audit_record(
        workspace=claim.workspace,
        actor=actor,
        obj=evidence,
        action=AuditEvent.Action.CREATE,
        changes={"claim": [None, claim.pk], **diff_fields({}, _snapshot(evidence))},
    )
    _after_change(evidence, actor, url_changed=True, cause="evidence added")
    return evidence


@transaction.atomic
def evidence_update(*, evidence: Evidence, actor, expected_version: int, **fields) -> Evidence:
    require_role(workspace=evidence.workspace, user=actor, roles=ANNOTATORS, action="edit evidence")
    if not Evidence.objects.filter(pk=evidence.pk, version=expected_version).update(
        version=F("version") + 1
    ):
        current = Evidence.objects.filter(pk=evidence.pk).first()
        raise StaleVersion(
            "Someone changed or removed this evidence while you were editing; nothing was saved.",
            current=current,
        )
    evidence = Evidence.objects.select_related("claim", "workspace").get(pk=evidence.pk)
    before = _snapshot(evidence)
    allowed = {
        "stance",
        "kind",
        "url",
        "title",
        "publisher",
        "origin",
        "published_on",
        "excerpt",
        "note",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown evidence fields: {sorted(unknown)}")
    _check_sources(evidence.claim, fields.get("publisher"), fields.get("origin"))
    for name, value in fields.items():
        setattr(evidence, name, value.strip() if isinstance(value, str) else value)
    evidence.full_clean()
    evidence.save()
    changes = diff_fields(before, _snapshot(evidence))
    audit_record(
        workspace=evidence.workspace,
        actor=actor,
        obj=evidence,
        action=AuditEvent.Action.UPDATE,
        changes={**changes, "version": [expected_version, evidence.version]},
    )
    _after_change(evidence, actor, url_changed="url" in changes, cause="evidence changed")
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor, expected_version: int) -> None:
    require_role(
        workspace=evidence.workspace, user=actor, roles=ANNOTATORS, action="remove evidence"
    )
    deleted = Evidence.objects.filter(pk=evidence.pk, version=expected_version)
    current = deleted.select_related("claim", "workspace").first()
    if current is None:
        raise StaleVersion(
            "Someone changed or removed this evidence meanwhile; nothing was removed."
        )
    audit_record(
        workspace=current.workspace,
        actor=actor,
        obj=current,
        action=AuditEvent.Action.DELETE,
        changes={"claim": [current.claim_id, None], **diff_fields(_snapshot(current), {})},
    )
    claim = current.claim
    current.delete()
    void_approval_if_changed(claim=claim, actor=actor, cause="evidence removed")
