from decimal import Decimal

from django.db import models


class Workspace(models.Model):
    """One investigation or desk. Everything an analyst sees belongs to one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    # How far apart two sources' figures may be and still agree (counting error).
    figure_tolerance = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.100"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(figure_tolerance__gte=0, figure_tolerance__lt=1),
                name="workspace_tolerance_0_to_1",
            )
        ]

    def __str__(self) -> str:
        return self.name
