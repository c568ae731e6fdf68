"""A database left by the workbench's first layout (one `claims` app, before
the feature apps) cannot be migrated in place: its tables and migration
history belong to another schema. `migrate` stops with this message instead
of half-migrating it."""

from django.core.checks import Error
from django.db import connections
from django.db.utils import DatabaseError

OLD_LAYOUT_MIGRATION = ("claims", "0004_matching_search")


def old_layout_database(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or ():
        connection = connections[alias]
        try:
            tables = set(connection.introspection.table_names())
            if "django_migrations" not in tables or "claims_workspace" not in tables:
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM django_migrations WHERE app = %s AND name = %s",
                    list(OLD_LAYOUT_MIGRATION),
                )
                old = cursor.fetchone() is not None
        except DatabaseError:
            continue
        if old:
            name = connection.settings_dict.get("NAME")
            errors.append(
                Error(
                    f"The database {name} was created by an earlier layout of the "
                    "workbench (a single 'claims' app) and cannot be migrated to this one.",
                    hint=(
                        "No production database of that layout exists. For the demo database, "
                        f"move it away and run `make demo` again: mv {name} {name}.old"
                    ),
                    id="workspaces.E001",
                )
            )
    return errors
