"""A job kind that kills the worker process running it: a poison message.

Imported only by the test workers of tests/test_worker.py, through
`celery worker --include tests.jobs.worker_poison`; never by the workbench itself.
"""

import os
import signal

from jobs.runner import job_handler

POISON_KIND = "test_poison"


@job_handler(POISON_KIND)
def kill_the_worker(job):
    os.kill(os.getpid(), signal.SIGKILL)
