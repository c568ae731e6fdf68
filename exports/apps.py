"""Audit reports and exports in six formats, and bundle import."""

from django.apps import AppConfig
from django.core.checks import register

from exports.checks import pdf_fonts_installed


class ExportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exports"

    def ready(self) -> None:
        register(pdf_fonts_installed)
