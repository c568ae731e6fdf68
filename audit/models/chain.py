from django.db import models


class AuditChain(models.Model):
    """The head of a workspace's chain: how many events it holds and the last
    hash. Moved in the same transaction as each append (the row lock serialises
    the writers of one chain), so verification notices events cut off the end."""

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    sequence = models.PositiveBigIntegerField(default=0)
    head = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"chain of workspace {self.workspace_id} at #{self.sequence}"
