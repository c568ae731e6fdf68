"""Every export is recorded: an Export row and an "export" audit event."""

from __future__ import annotations

from django.db import transaction

from audit.checkpoints import checkpoint_after_commit
from audit.models import AuditEvent
from audit.services import audit_record
from exports.context import ExportContext
from exports.models import Export
from jobs.models import Job


@transaction.atomic
def export_record(
    *,
    ctx: ExportContext,
    sha256: str,
    size: int,
    file: str = "",
    job: Job | None = None,
    completed: bool = True,
) -> Export:
    """Record who exported what, when, with or without real names, the
    protection state it used (which sources were protected, whether their
    names were replaced), and the file's SHA-256. `completed` is False when a download stopped part-way (the
    hash then covers what was sent)."""
    export = Export(
        workspace=ctx.workspace,
        scope=ctx.scope.as_dict(),
        scope_label=ctx.scope.label[:300],
        format=ctx.format,
        include_real_names=ctx.include_real_names,
        protection=ctx.protection,
        created_by=ctx.actor,
        claim_count=ctx.claim_count,
        sha256=sha256,
        size=size,
        file=file,
        job=job,
    )
    # An empty scope ({}) is the whole workspace, not a missing value.
    export.full_clean(exclude=["file", "job", "scope"])
    export.save()
    changes = {
        "format": ctx.format,
        "scope": ctx.scope.as_dict(),
        "scope_label": ctx.scope.label,
        "include_real_names": ctx.include_real_names,
        "protection": ctx.protection,
        "claim_count": ctx.claim_count,
        "sha256": sha256,
        "size": size,
        "completed": completed,
        "stored": bool(file),
        **{k: v for k, v in ctx.facts.items() if k in ("data_sha256", "chain_ok", "checkpoint")},
    }
    if job is not None:
        changes["job"] = job.pk
    audit_record(
        workspace=ctx.workspace,
        actor=ctx.actor,
        obj=export,
        action=AuditEvent.Action.EXPORT,
        changes=changes,
    )
    # Every export leaves a signed checkpoint (its own event included) in the
    # log outside the database.
    checkpoint_after_commit(ctx.workspace)
    return export
