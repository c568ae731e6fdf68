"""Recompute the audit hash chains and report the first event that does not
match; then compare each chain with its signed checkpoints (the witness
outside the database) and name any truncation, rewinding, re-chaining or
forged checkpoint."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import checkpoint_verify
from audit.selectors import audit_verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail (all workspaces, or one)."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", help="Only this workspace (slug).")

    def handle(self, *args, workspace=None, **options):
        # The audit app knows workspaces only as the owner of a chain.
        workspace_model = apps.get_model("workspaces", "Workspace")
        workspaces = workspace_model.objects.order_by("slug")
        if workspace:
            workspaces = workspaces.filter(slug=workspace)
            if not workspaces.exists():
                raise CommandError(f"No workspace with slug “{workspace}”.")
        total = 0
        failures = []
        for ws in workspaces:
            report = audit_verify_chain(ws)
            total += report.events_checked
            if report.ok:
                self.stdout.write(
                    f"{ws.slug}: {report.events_checked} events checked, chain intact"
                    + (f" (last hash {report.last_hash})" if report.events_checked else "")
                )
            else:
                where = (
                    f"event #{report.broken_event.sequence} (id {report.broken_event.pk})"
                    if report.broken_event
                    else "end of chain"
                )
                failures.append(f"{ws.slug}: {where}: {report.problem}")
                self.stdout.write(
                    f"{ws.slug}: {report.events_checked} events checked before {where}"
                )
            witness = checkpoint_verify(ws)
            if witness.latest is not None:
                self.stdout.write(
                    f"{ws.slug}: {witness.checked} signed checkpoint(s) in {witness.log}; the "
                    f"latest, {witness.latest.at_display}, covers {witness.latest.events} events"
                )
            elif not witness.problems:
                self.stdout.write(f"{ws.slug}: no signed checkpoint yet ({witness.log})")
            failures.extend(f"{ws.slug}: {problem}" for problem in witness.problems)
        self.stdout.write(f"{total} events checked in {workspaces.count()} workspace(s).")
        if failures:
            raise CommandError("Audit chain broken: " + "; ".join(failures))
