"""Making an export: validate the request, then stream it, write it to a file,
or hand it to a background job; each way ends by recording it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Claim
from exports.context import (
    ExportContext,
    job_threshold,
    protection_state,
    pseudonymiser_for,
    public_base_url,
)
from exports.files import export_path, new_file_name, open_for_writing, remove
from exports.formats import (
    annotation,
    bundle,
    claimreview,
    csv_export,
    report_html,
    report_pdf,
)
from exports.models import Export
from exports.scope import scope_from_params
from exports.services.recording import export_record
from jobs.models import Job
from jobs.services import job_enqueue
from workspaces.access import ADMINS, require_member, require_role
from workspaces.exceptions import NotFound
from workspaces.models import Workspace

BLOCK = 64 * 1024


@dataclass(frozen=True)
class FormatSpec:
    module: ModuleType
    # CSV and JSON stream at any size, memory flat; the PDF always runs as a
    # job; the others stream up to the job threshold.
    always_streams: bool = False
    always_job: bool = False

    @property
    def content_type(self) -> str:
        return self.module.CONTENT_TYPE

    @property
    def extension(self) -> str:
        return self.module.EXTENSION


FORMATS: dict[str, FormatSpec] = {
    Export.Format.PDF: FormatSpec(report_pdf, always_job=True),
    Export.Format.HTML: FormatSpec(report_html),
    Export.Format.CSV: FormatSpec(csv_export, always_streams=True),
    Export.Format.JSON: FormatSpec(bundle, always_streams=True),
    Export.Format.CLAIMREVIEW: FormatSpec(claimreview),
    Export.Format.ANNOTATION: FormatSpec(annotation),
}


def export_prepare(
    *,
    workspace: Workspace,
    actor,
    format: str,
    params: Any,
    include_real_names: bool = False,
    base_url: str | None = None,
    request_base_url: str | None = None,
) -> ExportContext:
    """Check and describe one export. A member of the workspace may export
    anything in it (others get 404); only an admin may include the real names
    of protected sources. Refuses an unknown format and a scope without claims.

    Ids and links use `base_url` when given (a command's --base-url, a job's
    saved address), else WORKBENCH_PUBLIC_BASE_URL, else the address the
    export was requested at; with none of them the export is refused."""
    require_member(workspace=workspace, user=actor)
    if format not in FORMATS:
        choices = ", ".join(FORMATS)
        raise ValidationError(
            {"format": f"Unknown export format “{format}”; use one of {choices}."}
        )
    if include_real_names:
        require_role(
            workspace=workspace,
            user=actor,
            roles=ADMINS,
            action="include the real names of protected sources in an export",
        )
    scope = scope_from_params(workspace=workspace, params=params)
    claims = scope.claims()
    if format == Export.Format.CLAIMREVIEW:
        claims = claims.filter(status=Claim.Status.APPROVED)
    count = claims.count()
    if not count:
        what = "approved claims" if format == Export.Format.CLAIMREVIEW else "claims"
        raise ValidationError(
            {"scope": f"Nothing to export: there are no {what} in {scope.label}."}
        )
    pseudonyms = pseudonymiser_for(workspace=workspace, include_real_names=include_real_names)
    return ExportContext(
        workspace=workspace,
        actor=actor,
        scope=scope,
        format=format,
        include_real_names=bool(include_real_names),
        claim_count=count,
        base_url=_base_url(base_url, request_base_url),
        exported_at=timezone.now(),
        pseudonyms=pseudonyms,
        protection=protection_state(
            workspace=workspace,
            include_real_names=bool(include_real_names),
            pseudonyms=pseudonyms,
        ),
    )


def _base_url(given: str | None, request_base_url: str | None) -> str:
    url = (given or public_base_url() or request_base_url or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValidationError(
            {
                "base_url": "Exports need the workbench's public address for their links: set "
                "WORKBENCH_PUBLIC_BASE_URL (or pass --base-url)."
            }
        )
    return url


def export_needs_job(ctx: ExportContext) -> bool:
    spec = FORMATS[ctx.format]
    if spec.always_job:
        return True
    return not spec.always_streams and ctx.claim_count > job_threshold()


def export_filename(ctx: ExportContext) -> str:
    stamp = ctx.exported_at.strftime("%Y%m%d-%H%M")
    kind = ctx.scope.kind
    if kind == "article":
        kind = f"article-{ctx.scope.filters['article'][0]}"
    return f"{ctx.workspace.slug}-{kind}-{ctx.format}-{stamp}.{FORMATS[ctx.format].extension}"


def export_blocks(ctx: ExportContext) -> Iterator[bytes]:
    """The file in blocks of about 64 KB, whatever pieces the format yields;
    the first piece (a CSV's header) goes out at once, so a download starts
    without waiting for the first claims."""
    pending: list[bytes] = []
    size = 0
    first = True
    for piece in FORMATS[ctx.format].module.generate(ctx):
        data = piece.encode("utf-8") if isinstance(piece, str) else piece
        if first and data:
            first = False
            yield data
            continue
        pending.append(data)
        size += len(data)
        if size >= BLOCK:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


def export_stream(ctx: ExportContext) -> Iterator[bytes]:
    """Yield the file and record the export once the last block is out; a
    download abandoned part-way is recorded as incomplete."""
    digest = hashlib.sha256()
    size = 0
    try:
        for block in export_blocks(ctx):
            digest.update(block)
            size += len(block)
            yield block
    except GeneratorExit:
        export_record(ctx=ctx, sha256=digest.hexdigest(), size=size, completed=False)
        raise
    export_record(ctx=ctx, sha256=digest.hexdigest(), size=size)


def _write(ctx: ExportContext, out: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for block in export_blocks(ctx):
        digest.update(block)
        size += len(block)
        out.write(block)
    return digest.hexdigest(), size


def export_write(ctx: ExportContext, out: IO[bytes]) -> Export:
    """Write the whole file to `out` and record it (a command's output)."""
    sha256, size = _write(ctx, out)
    return export_record(ctx=ctx, sha256=sha256, size=size)


def export_to_storage(ctx: ExportContext, *, job: Job) -> Export:
    """Write the file into the exports folder, block by block, and record it
    for download; a failed export leaves no file behind."""
    name = new_file_name(workspace_id=ctx.workspace.pk, extension=FORMATS[ctx.format].extension)
    try:
        with open_for_writing(name) as out:
            sha256, size = _write(ctx, out)
        return export_record(ctx=ctx, sha256=sha256, size=size, file=name, job=job)
    except BaseException:
        remove(name)
        raise


def export_file_for(*, export: Export, actor):
    """The path of an export's stored file. Members may download it; one made
    with real names only an admin may, as only an admin may make one."""
    require_member(workspace=export.workspace, user=actor)
    if export.include_real_names:
        require_role(
            workspace=export.workspace,
            user=actor,
            roles=ADMINS,
            action="download an export that includes the real names of protected sources",
        )
    path = export_path(export.file)
    if not path.exists():
        raise NotFound("This export's file is no longer stored.")
    return path


@transaction.atomic
def export_enqueue(*, ctx: ExportContext) -> Job:
    """Start a background export; the same request already queued or running
    is returned instead of a second job."""
    return job_enqueue(
        workspace=ctx.workspace,
        kind=Job.Kind.EXPORT,
        actor=ctx.actor,
        target=ctx.workspace,
        params={
            "format": ctx.format,
            "scope": ctx.scope.as_dict(),
            "include_real_names": ctx.include_real_names,
            "base_url": ctx.base_url,
            "actor": getattr(ctx.actor, "pk", None),
        },
        message=f"{Export.Format(ctx.format).label} of {ctx.claim_count} claims queued…",
        max_attempts=2,
    )
