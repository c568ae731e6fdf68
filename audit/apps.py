"""The tamper-evident audit trail: hash-chained events per workspace."""

from importlib import import_module

from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"

    def ready(self) -> None:
        # Registers the deploy check on the signing key (audit/checks.py).
        import_module(f"{self.name}.checks")
