"""Sign every workspace's audit chain head now (what beat does at intervals),
for a deployment that runs checkpoints from cron instead of Celery beat."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import SigningKeyMissing, checkpoint_all, checkpoint_dir


class Command(BaseCommand):
    help = "Sign and log the chain head of each workspace whose chain moved."

    def handle(self, *args, **options):
        workspaces = apps.get_model("workspaces", "Workspace").objects.order_by("pk")
        try:
            signed = checkpoint_all(workspaces.iterator())
        except SigningKeyMissing as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{signed} checkpoint(s) signed into {checkpoint_dir()}.")
