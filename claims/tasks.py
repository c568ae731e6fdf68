"""Job handlers of the claims feature (registered with the job runner)."""

from claims.services.versions import reanchor_job
from jobs.models import Job
from jobs.runner import job_handler

job_handler(Job.Kind.REANCHOR)(reanchor_job)
