"""Job handlers of the suggestions feature (registered with the job runner)."""

from jobs.models import Job
from jobs.runner import job_handler
from suggestions.services import suggest_claims_job

job_handler(Job.Kind.SUGGEST_CLAIMS)(suggest_claims_job)
