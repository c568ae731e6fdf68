from django.conf import settings
from django.db import models

from .workspace import Workspace


class Membership(models.Model):
    class Role(models.TextChoices):
        ANALYST = "analyst", "Analyst"
        REVIEWER = "reviewer", "Reviewer"
        ADMIN = "admin", "Admin"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANALYST)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=["analyst", "reviewer", "admin"]),
                name="membership_role_valid",
            ),
        ]
        # The unique constraint's index serves "members of a workspace"; this one
        # serves "workspaces of a user", asked on every request.
        indexes = [models.Index(fields=["user", "workspace"], name="membership_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} as {self.role}"
