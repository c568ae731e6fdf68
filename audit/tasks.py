"""Beat's checkpoints of every workspace's audit chain (audit/checkpoints.py)."""

from celery import shared_task
from django.apps import apps

from audit.checkpoints import checkpoint_all


@shared_task
def audit_checkpoint_all() -> dict:
    """Sign the chain head of each workspace whose chain moved since its last
    checkpoint."""
    # The audit app knows workspaces only as the owners of chains.
    workspaces = apps.get_model("workspaces", "Workspace").objects.order_by("pk")
    return {"signed": checkpoint_all(workspaces.iterator())}
