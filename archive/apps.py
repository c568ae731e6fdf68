"""Fetching the web safely: articles by URL, WARC archives of evidence, link re-checks."""

from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archive"
