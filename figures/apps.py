"""Figures reconciliation: the stored summary, the figures page, figures
needing scope, and the evaluation on reporting sequences."""

from django.apps import AppConfig


class FiguresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "figures"
