"""The workspace dashboard: claims by status and verdict over time, the review
queue's age and throughput, claims per source grade, recent conflicts."""

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
