"""Articles, sources, claims, evidence, links, the verification workflow and article versions."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"

    def ready(self) -> None:
        # Features fill the claims pages' slots from their slots modules.
        autodiscover_modules("slots")
