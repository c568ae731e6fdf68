"""Workspaces, their members and roles, and who may do what."""

from importlib import import_module

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.checks import Tags, register

from workspaces.checks import old_layout_database


class WorkspacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workspaces"

    def ready(self) -> None:
        register(old_layout_database, Tags.database)
        # Every sign-in lockout goes into the audit trail (workspaces/services.py).
        # (Both modules load models, so they are imported once the apps are ready.)
        services = import_module(f"{self.name}.services")
        import_module("axes.signals").user_locked_out.connect(
            services.on_user_locked_out, dispatch_uid="workspaces.lockout"
        )
        user_logged_in.connect(
            import_module(f"{self.name}.sessions").stamp_session_on_login,
            dispatch_uid="workspaces.session_clock",
        )
