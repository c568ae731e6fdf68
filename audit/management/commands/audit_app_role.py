"""Print (or, as the database owner, apply) the grants that let the app run
as a PostgreSQL role that may only INSERT and SELECT audit events."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from audit.roles import app_role_statements


class Command(BaseCommand):
    help = (
        "Grant an app role everything the workbench needs except changing audit events "
        "(SELECT and INSERT only). Run as the owner after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="The role the app connects as.")
        parser.add_argument(
            "--apply", action="store_true", help="Run the statements (else print them)."
        )

    def handle(self, *args, role, apply=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles need PostgreSQL; SQLite has no roles.")
        statements = app_role_statements(role=role, database=connection.settings_dict["NAME"])
        with connection.cursor() as cursor:
            for statement in statements:
                text = statement.as_string(cursor.connection)
                self.stdout.write(text + ";")
                if apply:
                    cursor.execute(text)
        if apply:
            self.stdout.write(f"Applied: {role} may only SELECT and INSERT audit events.")
