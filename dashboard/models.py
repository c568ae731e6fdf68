from django.db import models


class DashboardSummary(models.Model):
    """A workspace's dashboard, computed by a job (it reads every claim) and
    stored, so the page itself reads one row whatever the workspace's size.
    `data` is the JSON that dashboard.services.dashboard_compute returns."""

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0, help_text="How long computing it took.")
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"dashboard of workspace {self.workspace_id} at {self.computed_at:%Y-%m-%d %H:%M}"
