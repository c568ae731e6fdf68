"""Suggested claims and figures, proposed by the extractor for analysts to accept."""

from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "suggestions"
