from django.db import models

from counting.wording import figure_phrase, quantity_parts

from .claim import Claim


class Figure(models.Model):
    """A number a claim states: 'more than 1,000 dead', '745 civilians killed'."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", "exactly"
        MORE_THAN = "more_than", "more than"
        AT_LEAST = "at_least", "at least"
        ABOUT = "about", "about"
        NEARLY = "nearly", "nearly"
        UP_TO = "up_to", "up to"
        FEWER_THAN = "fewer_than", "fewer than"
        DOZENS = "dozens", "dozens of"
        HUNDREDS = "hundreds", "hundreds of"
        THOUSANDS = "thousands", "thousands of"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveSmallIntegerField(default=0)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    qualifier = models.CharField(max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT)
    counted = models.CharField(
        max_length=200, help_text="What is counted, e.g. 'civilians killed'."
    )

    class Meta:
        ordering = ["claim_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="figure_value_not_negative"
            )
        ]
        # The figures reconciliation page groups by what is counted.
        indexes = [models.Index(fields=["counted"], name="figure_counted_idx")]

    def __str__(self) -> str:
        return figure_phrase(self.value, self.qualifier, self.counted)

    @property
    def qualifier_text(self) -> str:
        """The words before the number ("more than"); nothing for an exact figure."""
        return quantity_parts(self.value, self.qualifier)[0]

    @property
    def display_value(self) -> str:
        """The number as people read it ("1,000"); nothing for a vague quantity."""
        return quantity_parts(self.value, self.qualifier)[1]
