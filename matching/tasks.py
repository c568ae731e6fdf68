"""Job handlers of the matching feature (registered with the job runner)."""

from jobs.models import Job
from jobs.runner import job_handler
from matching.services import find_matches_job

job_handler(Job.Kind.FIND_MATCHES)(find_matches_job)
