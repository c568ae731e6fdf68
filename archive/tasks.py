"""Job handlers of the archive feature, and the periodic start of link re-checks."""

from celery import shared_task

from archive.services import (
    archive_evidence_job,
    fetch_article_job,
    links_recheck_due,
    recheck_links_job,
)
from jobs.models import Job
from jobs.runner import job_handler

job_handler(Job.Kind.FETCH_ARTICLE)(fetch_article_job)
job_handler(Job.Kind.ARCHIVE_EVIDENCE)(archive_evidence_job)
job_handler(Job.Kind.RECHECK_LINKS)(recheck_links_job)


@shared_task(acks_late=True)
def recheck_links_due() -> dict:
    """Start a link re-check job for each workspace with archived links not
    checked for LINK_RECHECK_AFTER_SECONDS (daily by default)."""
    return {"started": links_recheck_due()}
