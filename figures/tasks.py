"""Job handlers of the figures feature (registered with the job runner)."""

from figures.services import reconcile_figures_job
from jobs.models import Job
from jobs.runner import job_handler

job_handler(Job.Kind.RECONCILE_FIGURES)(reconcile_figures_job)
