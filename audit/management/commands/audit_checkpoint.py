"""Sign every workspace's audit chain head now (what beat does at intervals),
for a deployment that runs checkpoints from cron instead of Celery beat."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import (
    SigningKeyMissing,
    checkpoint_all,
    checkpoint_dir,
    key_id,
    public_key_text,
    signing_key,
)


class Command(BaseCommand):
    help = "Sign and log the chain head of each workspace whose chain moved."

    def add_arguments(self, parser):
        parser.add_argument(
            "--public-key",
            action="store_true",
            help="Print the signing key's public half (for AUDIT_VERIFY_KEYS) and stop.",
        )

    def handle(self, *args, public_key=False, **options):
        if public_key:
            try:
                key = signing_key().public_key()
            except SigningKeyMissing as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{public_key_text(key)}  (key id {key_id(key)})")
            return
        workspaces = apps.get_model("workspaces", "Workspace").objects.order_by("pk")
        try:
            signed = checkpoint_all(workspaces.iterator())
        except SigningKeyMissing as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{signed} checkpoint(s) signed into {checkpoint_dir()}.")
