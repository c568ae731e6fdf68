"""Jobs that fetch the web: an article by URL, an evidence archive, link re-checks.

All three go through the safe fetcher (claims.fetching) with
settings.FETCH_ALLOWED_HOSTS, so a URL, a redirect or a DNS answer pointing
inside the network is refused, and every refusal becomes the job's error in
words the analyst can act on. Network errors are transient: the job is retried
with backoff and fails with the last error once its attempts are used up.

Idempotency: each handler checks, inside the transaction that creates its
rows and with the Job row locked, whether this job already created them (the
article id in job.result, a Snapshot pointing at the job, a LinkCheck made
since the job started), so a second delivery of the same job creates nothing
twice.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from archive.models import LinkCheck, Snapshot
from audit.models import AuditEvent
from audit.services import audit_record
from claims.models import Article, Evidence, Source
from claims.services.articles import article_import
from claims.services.evidence import evidence_archive_later, evidence_set_link_state
from claims.services.sources import source_create
from jobs.limits import time_budget
from jobs.models import Job
from jobs.runner import JobContinue, JobFailed, JobRetryable, job_progress
from jobs.services import job_enqueue
from safefetch.fetcher import (
    DEFAULT_CONTENT_TYPES,
    PDF_CONTENT_TYPE,
    FetchError,
    FetchNetworkError,
    FetchRefused,
    FetchResult,
    fetch,
)
from safefetch.warc import snapshot_warc
from texttools.bodies import html_to_text
from workspaces.access import ANNOTATORS, EVERYONE, require_role
from workspaces.exceptions import NotAMember
from workspaces.models import Workspace

logger = logging.getLogger(__name__)


ARTICLE_CONTENT_TYPES = DEFAULT_CONTENT_TYPES


EVIDENCE_CONTENT_TYPES = DEFAULT_CONTENT_TYPES | {PDF_CONTENT_TYPE}


# Statuses worth another try later: the server is busy or a proxy hiccuped.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def _check_web_url(url: str, *, field: str = "url") -> str:
    """Only absolute http(s) URLs, refused up-front with a message for the form.
    Whether the host may be reached is the fetcher's decision, in the job."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        hostname, _ = parts.hostname, parts.port
    except ValueError:
        # "http://[::1" (an unclosed IPv6 bracket), a port out of range...
        raise ValidationError({field: "This is not a valid web address."}) from None
    if parts.scheme.lower() not in {"http", "https"} or not hostname:
        raise ValidationError({field: "Enter a web address starting with http:// or https://."})
    if parts.username or parts.password:
        raise ValidationError({field: "Remove the user name and password from the address."})
    if len(url) > 2000:
        raise ValidationError({field: "The address is longer than 2,000 characters."})
    return url


@transaction.atomic
def article_fetch_start(*, workspace: Workspace, actor, url: str) -> Job:
    """Queue a job that fetches `url` and imports it as an article. Analysts and
    admins only (the same rule as importing by hand)."""
    require_role(workspace=workspace, user=actor, roles=ANNOTATORS, action="import articles")
    url = _check_web_url(url)
    return job_enqueue(
        workspace=workspace,
        kind=Job.Kind.FETCH_ARTICLE,
        actor=actor,
        params={"url": url},
        message="Waiting for a worker to fetch the page…",
    )


@transaction.atomic
def evidence_archive_start(*, evidence: Evidence, actor) -> Job:
    """Archive the evidence's URL (again) on request. Any member may archive:
    whoever may see evidence may keep a copy of it."""
    require_role(workspace=evidence.workspace, user=actor, roles=EVERYONE, action="archive links")
    return evidence_archive_later(evidence=evidence, actor=actor)


@transaction.atomic
def links_recheck_start(*, workspace: Workspace, actor=None, due_only: bool = False) -> Job:
    """Queue a re-check of the workspace's archived links (or return the one
    already queued or running). With an actor (the Jobs page button) any member
    may start it; the periodic start has no actor and checks only links due."""
    if actor is not None:
        require_role(workspace=workspace, user=actor, roles=EVERYONE, action="re-check links")
    active = Job.objects.filter(
        workspace=workspace, kind=Job.Kind.RECHECK_LINKS, status__in=Job.ACTIVE
    ).first()
    if active:
        return active
    return job_enqueue(
        workspace=workspace,
        kind=Job.Kind.RECHECK_LINKS,
        actor=actor,
        target=workspace,
        params={"due_only": due_only},
        message="Waiting for a worker to re-check the archived links…",
    )


def _links_due(workspace_id: int | None = None):
    """Evidence with an archive whose last check (or archive) is older than
    LINK_RECHECK_AFTER_SECONDS."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.LINK_RECHECK_AFTER_SECONDS)
    last_check = (
        LinkCheck.objects.filter(evidence=OuterRef("pk"))
        .order_by("-checked_at")
        .values("checked_at")[:1]
    )
    archived = Evidence.objects.filter(snapshots__isnull=False)
    if workspace_id is not None:
        archived = archived.filter(workspace_id=workspace_id)
    return (
        archived.annotate(
            last_check=Subquery(last_check), last_archive=Max("snapshots__fetched_at")
        )
        .filter(
            Q(last_check__lt=cutoff) | Q(last_check__isnull=True, last_archive__lt=cutoff),
        )
        .exclude(url="")
    )


def links_recheck_due() -> int:
    """Start a due-only re-check job for each workspace with links due. Run by beat."""
    started = 0
    workspace_ids = set(_links_due().values_list("workspace_id", flat=True))
    for workspace in Workspace.objects.filter(pk__in=workspace_ids):
        links_recheck_start(workspace=workspace, due_only=True)
        started += 1
    return started


def _fetch(url: str, content_types) -> FetchResult:
    return fetch(
        url,
        allowed_hosts=settings.FETCH_ALLOWED_HOSTS,
        total_timeout=settings.JOB_FETCH_TIMEOUT_SECONDS,
        max_bytes=settings.JOB_FETCH_MAX_BYTES,
        allowed_content_types=content_types,
    )


def _fetch_for_job(job: Job, url: str, content_types) -> FetchResult:
    """Fetch, turning refusals and error statuses into job outcomes."""
    try:
        result = _fetch(url, content_types)
    except FetchRefused as exc:
        raise JobFailed(_sentence(str(exc))) from exc
    except FetchNetworkError as exc:
        raise JobRetryable(_sentence(str(exc))) from exc
    if result.status in TRANSIENT_STATUSES:
        raise JobRetryable(f"The server answered {result.status} {result.reason} for {url}.")
    if result.status >= 400:
        raise JobFailed(
            f"The server answered {result.status} {result.reason}".strip()
            + f" for {result.final_url}."
        )
    return result


def _sentence(message: str) -> str:
    message = message.strip()
    if message and message[0].islower():
        message = message[0].upper() + message[1:]
    return message if message.endswith((".", "…")) else message + "."


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str
    published_on: datetime.date | None
    outlet: str


def _host_name(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def extract_page(result: FetchResult) -> Extracted:
    """The main text, title, date and outlet of a fetched page."""
    if result.content_type == PDF_CONTENT_TYPE:
        return Extracted(_title_from_url(result.final_url), _pdf_text(result.body), None, "")
    if result.content_type == "text/plain":
        text = result.text().strip()
        first_line = text.split("\n", 1)[0].strip()
        return Extracted(first_line[:300] or _title_from_url(result.final_url), text, None, "")
    import trafilatura

    html = result.text()
    text = trafilatura.extract(
        html, url=result.final_url, include_comments=False, include_tables=False
    )
    if not (text and text.strip()):
        text = html_to_text(html)
    meta = trafilatura.extract_metadata(html, default_url=result.final_url)
    title = " ".join((getattr(meta, "title", None) or "").split())
    text = (text or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.strip()  # the headline is the title, not the body
    published_on = None
    if getattr(meta, "date", None):
        try:
            published_on = datetime.date.fromisoformat(meta.date[:10])
        except ValueError:
            published_on = None
    return Extracted(
        title=title[:300] or _title_from_url(result.final_url),
        text=text,
        published_on=published_on,
        outlet=" ".join((getattr(meta, "sitename", None) or "").split())[:200],
    )


def _title_from_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or ''}{parts.path}"[:300] or url[:300]


def _pdf_text(body: bytes) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages[:200])
    except Exception as exc:  # a damaged PDF still gets archived, without text
        logger.info("No text from PDF: %s", exc)
        return ""


def _snapshot_for(
    result: FetchResult, *, job: Job, text: str, evidence=None, article=None
) -> Snapshot:
    warc = snapshot_warc(result)
    snapshot = Snapshot(
        workspace_id=job.workspace_id,
        evidence=evidence,
        article=article,
        url=result.requested_url[:2000],
        final_url=result.final_url[:2000],
        status_code=result.status,
        headers=[[name, value] for name, value in result.headers],
        content_type=result.content_type[:100],
        sha256=result.sha256,
        warc=warc,
        warc_sha256=hashlib.sha256(warc).hexdigest(),
        text=text,
        fetched_at=result.fetched_at,
        job=job,
    )
    # The fetcher already vetted the URLs; Django's stricter URLValidator (no
    # underscores in host names, ...) must not cost the analyst the archive.
    snapshot.full_clean(exclude=["warc", "url", "final_url"])
    snapshot.save()
    audit_record(
        workspace=job.workspace,
        actor=job.created_by,
        obj=snapshot,
        action=AuditEvent.Action.CREATE,
        changes={
            "url": [None, snapshot.url],
            "sha256": [None, snapshot.sha256],
            "status_code": [None, snapshot.status_code],
        },
    )
    return snapshot


def _lock_job(job: Job) -> Job:
    """The job row, locked until the end of the transaction: two deliveries of
    one job that both reach the create step take turns, and the second sees
    what the first committed."""
    return Job.objects.select_for_update().get(pk=job.pk)


def _as_job_error(exc: Exception) -> JobFailed:
    if isinstance(exc, ValidationError):
        messages = []
        for field, errors in getattr(exc, "message_dict", {"": exc.messages}).items():
            messages += [f"{field}: {e}" if field and field != "__all__" else e for e in errors]
        return JobFailed(" ".join(messages))
    if isinstance(exc, NotAMember):
        return JobFailed("The person who started this job is no longer a member of the workspace.")
    return JobFailed(str(exc))


def _outlet_for(workspace: Workspace, actor, name: str) -> Source | None:
    """An existing source of the workspace with this name or alias, else a new
    news outlet. Two jobs racing to create the same outlet: the loser reuses it."""
    if not name:
        return None
    wanted = name.casefold()
    for source in Source.objects.filter(workspace=workspace).only("id", "name", "aliases"):
        names = [source.name, *(source.aliases or [])]
        if any(str(n).casefold() == wanted for n in names):
            return Source.objects.get(pk=source.pk)
    try:
        with transaction.atomic():
            return source_create(
                workspace=workspace, actor=actor, name=name, kind=Source.Kind.NEWS_OUTLET
            )
    except (IntegrityError, ValidationError):
        existing = Source.objects.filter(workspace=workspace, name__iexact=name).first()
        if existing is None:
            raise
        return existing


def _storable_url(*candidates: str) -> str:
    """The first URL the article's URLField accepts (the final one, after
    redirects, else the one given); an odd but fetchable URL must not make the
    import fail."""
    validate = URLValidator(schemes=["http", "https"])
    for url in candidates:
        try:
            if len(url) <= 2000:
                validate(url)
                return url
        except ValidationError:
            continue
    return ""


def _existing_article(job: Job) -> Article | None:
    article_id = (job.result or {}).get("article_id")
    if not article_id:
        return None
    return Article.objects.filter(pk=article_id, workspace_id=job.workspace_id).first()


def _article_result(article: Article, snapshot_id: int | None, *, again: bool = False) -> dict:
    return {
        "message": f"Imported “{article.title}”." if not again else "Already imported.",
        "article_id": article.pk,
        "snapshot_id": snapshot_id,
        "title": article.title,
    }


def fetch_article_job(job: Job) -> dict:
    """Fetch a page, extract its article and import it with a snapshot."""
    url = job.params.get("url", "")
    done = _existing_article(job)
    if done is not None:
        return _article_result(done, job.result.get("snapshot_id"), again=True)
    try:  # the starter's role may have changed since: say so before fetching
        require_role(
            workspace=job.workspace, user=job.created_by, roles=ANNOTATORS, action="import articles"
        )
    except (PermissionDenied, NotAMember) as exc:
        raise _as_job_error(exc) from exc
    job_progress(job, done=0, total=3, message=f"Fetching {url}…")
    result = _fetch_for_job(job, url, ARTICLE_CONTENT_TYPES)
    job_progress(job, done=1, message="Extracting the article text…")
    page = extract_page(result)
    if not page.text.strip():
        raise JobFailed(f"No article text could be found at {result.final_url}.")
    job_progress(job, done=2, message="Saving the article…")
    try:
        with transaction.atomic():
            locked = _lock_job(job)
            done = _existing_article(locked)
            if done is not None:
                return _article_result(done, locked.result.get("snapshot_id"), again=True)
            actor = job.created_by
            outlet = _outlet_for(job.workspace, actor, page.outlet or _host_name(result.final_url))
            article = article_import(
                workspace=job.workspace,
                actor=actor,
                title=page.title,
                body=page.text,
                outlet=outlet,
                url=_storable_url(result.final_url, url),
                published_on=page.published_on,
            )
            snapshot = _snapshot_for(result, job=job, text=page.text, article=article)
            outcome = _article_result(article, snapshot.pk)
            Job.objects.filter(pk=job.pk).update(
                result={k: v for k, v in outcome.items() if k != "message"}
            )
    except (ValidationError, PermissionDenied, NotAMember) as exc:
        raise _as_job_error(exc) from exc
    return outcome


def _evidence_for(job: Job) -> Evidence:
    evidence = (
        Evidence.objects.select_related("workspace")
        .filter(pk=int(job.target_id or 0), workspace_id=job.workspace_id)
        .first()
    )
    if evidence is None:
        raise JobFailed("The evidence no longer exists.")
    return evidence


def archive_evidence_job(job: Job) -> dict:
    """Archive the evidence's URL: the raw response as a WARC, its hash and text."""
    evidence = _evidence_for(job)
    url = job.params.get("url") or evidence.url
    existing = Snapshot.objects.filter(job=job).only("id", "sha256").first()
    if existing is not None:
        return {"message": "Already archived.", "snapshot_id": existing.pk}
    if evidence.url != url:
        return {"message": "Skipped: the evidence's URL changed since this job started."}
    job_progress(job, done=0, total=2, message=f"Archiving {url}…")
    try:
        result = _fetch_for_job(job, url, EVIDENCE_CONTENT_TYPES)
    except JobFailed:
        with transaction.atomic():
            evidence_set_link_state(
                evidence=evidence, state=Evidence.LinkState.FAILED, actor=job.created_by
            )
        raise
    except JobRetryable:
        if job.attempts >= job.max_attempts:  # the last try: say so on the evidence too
            with transaction.atomic():
                evidence_set_link_state(
                    evidence=evidence, state=Evidence.LinkState.FAILED, actor=job.created_by
                )
        raise
    job_progress(job, done=1, message="Storing the snapshot…")
    text = extract_page(result).text
    with transaction.atomic():
        _lock_job(job)
        existing = Snapshot.objects.filter(job=job).only("id").first()
        if existing is not None:
            return {"message": "Already archived.", "snapshot_id": existing.pk}
        snapshot = _snapshot_for(result, job=job, text=text, evidence=evidence)
        evidence_set_link_state(
            evidence=evidence, state=Evidence.LinkState.LIVE, actor=job.created_by
        )
    return {
        "message": f"Archived (sha256 {snapshot.sha256[:12]}…).",
        "snapshot_id": snapshot.pk,
        "sha256": snapshot.sha256,
    }


def check_link(url: str, *, archived_sha256: str, archived_text: str = "") -> tuple[str, dict]:
    """One re-check: (outcome, LinkCheck fields). Live when the page is the
    archived one, changed when it differs, gone when the server says it is
    gone, refuses it, or cannot be reached after a few tries."""
    delays = list(getattr(settings, "LINK_CHECK_RETRY_DELAYS", [2.0, 10.0]))
    while True:
        try:
            result = _fetch(url, EVIDENCE_CONTENT_TYPES)
        except FetchNetworkError as exc:
            if delays:
                time.sleep(delays.pop(0))
                continue
            return LinkCheck.Outcome.GONE, {"detail": _sentence(str(exc))[:500]}
        except FetchError as exc:
            return LinkCheck.Outcome.GONE, {"detail": _sentence(str(exc))[:500]}
        if result.status in TRANSIENT_STATUSES and delays:
            time.sleep(delays.pop(0))
            continue
        break
    fields = {"status_code": result.status, "sha256": result.sha256 if result.status < 400 else ""}
    if result.status >= 400:
        fields["detail"] = f"The server answered {result.status} {result.reason}".strip() + "."
        return LinkCheck.Outcome.GONE, fields
    if result.sha256 == archived_sha256:
        return LinkCheck.Outcome.LIVE, fields
    fields["detail"] = "The page differs from the archived copy."
    return LinkCheck.Outcome.CHANGED, fields


LINK_STATE_FOR = {
    LinkCheck.Outcome.LIVE: Evidence.LinkState.LIVE,
    LinkCheck.Outcome.CHANGED: Evidence.LinkState.CHANGED,
    LinkCheck.Outcome.GONE: Evidence.LinkState.GONE,
}


def recheck_links_job(job: Job) -> dict:
    """Re-check every archived link of the workspace (or those due), keeping
    each result as a LinkCheck. A link already checked by this job (a second
    delivery) is not checked again."""
    workspace = job.workspace
    if job.params.get("due_only"):
        candidates = _links_due(workspace.pk)
    else:
        candidates = Evidence.objects.filter(workspace=workspace, snapshots__isnull=False).exclude(
            url=""
        )
    evidence_ids = sorted(set(candidates.values_list("pk", flat=True)))
    started = job.created_at
    already = set(
        LinkCheck.objects.filter(evidence_id__in=evidence_ids, checked_at__gte=started).values_list(
            "evidence_id", flat=True
        )
    )
    total = len(evidence_ids)
    job_progress(job, done=len(already), total=total, message=f"Re-checking {total} links…")
    done = len(already)
    deadline = time.monotonic() + time_budget()
    for evidence_id in evidence_ids:
        if evidence_id in already:
            continue
        if Job.objects.filter(pk=job.pk, status=Job.Status.CANCELLED).exists():
            break
        if time.monotonic() > deadline and done > len(already):
            # Many links: go on in a fresh delivery, under the time limit.
            raise JobContinue(f"Checked {done} of {total} links; continuing…")
        evidence = Evidence.objects.select_related("workspace").filter(pk=evidence_id).first()
        newest = Snapshot.objects.filter(evidence_id=evidence_id).only("sha256", "url").first()
        if evidence is None or newest is None:
            continue
        outcome, fields = check_link(evidence.url, archived_sha256=newest.sha256)
        with transaction.atomic():
            LinkCheck.objects.create(
                evidence=evidence, checked_at=timezone.now(), outcome=outcome, **fields
            )
            evidence_set_link_state(evidence=evidence, state=LINK_STATE_FOR[outcome])
        done += 1
        job_progress(job, done=done, message=f"Checked {done} of {total} links…")
    counts = {  # the whole job's tally, over all its deliveries
        outcome: LinkCheck.objects.filter(
            evidence_id__in=evidence_ids, checked_at__gte=started, outcome=outcome
        ).count()
        for outcome in LinkCheck.Outcome.values
    }
    summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
    return {
        "message": f"Re-checked {sum(counts.values())} links"
        + (f": {summary}." if summary else "."),
        **counts,
    }
