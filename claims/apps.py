from importlib import import_module

from django.apps import AppConfig

# Modules that register job handlers (@job_handler); imported at start-up so
# every worker knows every job kind.
JOB_HANDLER_MODULES: list[str] = [
    "claims.services.suggestions",
    "claims.services.fetch_jobs",
    "claims.services.matching",
    "claims.services.versions",
    "claims.services.exports.jobs",
]


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"

    def ready(self) -> None:
        for module in JOB_HANDLER_MODULES:
            import_module(module)
