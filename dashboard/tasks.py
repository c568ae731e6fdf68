"""Job handlers of the dashboard (registered with the job runner)."""

from dashboard.services import dashboard_job_run
from jobs.models import Job
from jobs.runner import job_handler

job_handler(Job.Kind.DASHBOARD)(dashboard_job_run)
