"""Job handlers of the exports feature (registered with the job runner)."""

from exports.services.background import export_job_run
from jobs.models import Job
from jobs.runner import job_handler

job_handler(Job.Kind.EXPORT)(export_job_run)
