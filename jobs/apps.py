"""Background jobs: the Job row, the runner, the sweeper."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jobs"

    def ready(self) -> None:
        # Every feature registers its job handlers (and Celery tasks) in its
        # tasks module, as the admin finds admin modules: web processes that
        # run jobs in-process know every kind, as workers do.
        autodiscover_modules("tasks")
