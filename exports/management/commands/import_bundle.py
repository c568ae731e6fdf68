"""Load a JSON bundle (from export_report --format json or the Exports page)
into an empty workspace, in one transaction."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from exports.services.importing import bundle_import, bundle_read
from workspaces.management.actors import command_actor
from workspaces.models import Workspace


class Command(BaseCommand):
    help = "Import a JSON bundle into an empty workspace (ids are remapped; history is kept)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The bundle (.json).")
        parser.add_argument(
            "--workspace", required=True, help="Slug of an existing, empty workspace."
        )
        parser.add_argument(
            "--as-user",
            default="",
            help="Admin recorded as importer (default: the workspace's first admin).",
        )
        parser.add_argument(
            "--create-missing-users",
            action="store_true",
            help="Create users the bundle names but this workbench lacks (inactive, no password).",
        )

    def handle(self, *args, path, workspace, as_user, create_missing_users, **options):
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"No workspace with slug “{workspace}”; create it first.")
        actor = self._actor(ws, as_user)
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with file.open("rb") as handle:
                data = bundle_read(handle)
            result = bundle_import(
                workspace=ws, actor=actor, data=data, create_missing_users=create_missing_users
            )
        except ValidationError as exc:
            raise CommandError("Nothing was imported: " + " ".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
        self.stdout.write(f"Imported into “{ws.slug}”: {counts}.")
        if result.history_events:
            state = (
                "all match their original hashes"
                if result.history_intact
                else f"{result.history_hashes_matching} match their original hashes "
                "(a pseudonymised or edited bundle's events do not)"
            )
            self.stdout.write(f"History: {result.history_events} events kept; {state}.")
        if result.created_users:
            self.stdout.write("Created inactive users: " + ", ".join(result.created_users) + ".")

    def _actor(self, workspace, username):
        return command_actor(
            workspace,
            username,
            default_roles=["admin"],
            missing=f"Workspace “{workspace.slug}” has no admin; say who imports with --as-user.",
        )
