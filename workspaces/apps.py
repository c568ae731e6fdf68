"""Workspaces, their members and roles, and who may do what."""

from django.apps import AppConfig
from django.core.checks import Tags, register

from workspaces.checks import old_layout_database


class WorkspacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workspaces"

    def ready(self) -> None:
        register(old_layout_database, Tags.database)
