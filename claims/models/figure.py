from django.db import models

from counting.scope import Basis as ScopeBasis
from counting.scope import Population as ScopePopulation
from counting.wording import figure_phrase, quantity_parts

from .claim import Claim


class Figure(models.Model):
    """A number a claim states, with its scope: what exactly it counts.

    The analyst's wording (`counted`: "members of the security forces") is
    kept beside the scope the reconciliation compares: outcome, population,
    sub-groups, place, time (an as-of date, or a period) and basis. A figure
    may be recorded as a part of another (the civilians of a total, one
    province's share, one day's deaths)."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", "exactly"
        MORE_THAN = "more_than", "more than"
        AT_LEAST = "at_least", "at least"
        ABOUT = "about", "about"
        NEARLY = "nearly", "nearly"
        UP_TO = "up_to", "up to"
        FEWER_THAN = "fewer_than", "fewer than"
        RANGE = "range", "a range (low to high)"
        DOZENS = "dozens", "dozens of"
        HUNDREDS = "hundreds", "hundreds of"
        THOUSANDS = "thousands", "thousands of"

    class Population(models.TextChoices):
        CIVILIANS = ScopePopulation.CIVILIANS, "civilians"
        SECURITY_FORCES = ScopePopulation.SECURITY_FORCES, "security / government forces"
        ARMED_GROUPS = ScopePopulation.ARMED_GROUPS, "armed-group fighters"
        UNSPECIFIED = ScopePopulation.UNSPECIFIED, "people (unspecified)"

    class Basis(models.TextChoices):
        CUMULATIVE = ScopeBasis.CUMULATIVE, "cumulative total"
        INCREMENT = ScopeBasis.INCREMENT, "increment for a period"
        INCIDENT = ScopeBasis.INCIDENT, "single incident"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveSmallIntegerField(default=0)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    qualifier = models.CharField(max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT)
    value_high = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="The top of a range."
    )
    counted = models.CharField(
        max_length=200, help_text="What is counted, in the report's words: 'civilians killed'."
    )
    outcome = models.ForeignKey(
        "vocabulary.Outcome",
        on_delete=models.PROTECT,
        related_name="figures",
        null=True,
        blank=True,
    )
    population = models.CharField(
        max_length=16, choices=Population.choices, default=Population.UNSPECIFIED
    )
    subgroups = models.JSONField(default=list, blank=True, help_text="Lower-case tags.")
    place = models.ForeignKey(
        "vocabulary.Place", on_delete=models.PROTECT, related_name="figures", null=True, blank=True
    )
    as_of = models.DateField(null=True, blank=True, help_text="The day the count runs to.")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    basis = models.CharField(max_length=12, choices=Basis.choices, blank=True)
    part_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, related_name="parts", null=True, blank=True
    )

    class Meta:
        ordering = ["claim_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="figure_value_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(value_high__isnull=True)
                | models.Q(value_high__gte=models.F("value")),
                name="figure_range_high_not_below_low",
            ),
            models.CheckConstraint(
                condition=models.Q(qualifier="range", value_high__isnull=False)
                | (~models.Q(qualifier="range") & models.Q(value_high__isnull=True)),
                name="figure_range_has_high",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="figure_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(part_of=models.F("id")), name="figure_not_part_of_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    population__in=["civilians", "security_forces", "armed_groups", "unspecified"]
                ),
                name="figure_population_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(basis__in=["", "cumulative", "increment", "incident"]),
                name="figure_basis_valid",
            ),
        ]
        indexes = [
            # The matcher's figure candidates: figures of one scope (a place
            # belongs to one workspace, so the place leads).
            models.Index(
                fields=["place", "outcome", "population", "basis"], name="figure_scope_idx"
            ),
            # "Figures needing scope": those without an outcome, place or basis.
            models.Index(
                fields=["claim"],
                name="figure_unscoped_idx",
                condition=models.Q(outcome__isnull=True)
                | models.Q(place__isnull=True)
                | models.Q(basis=""),
            ),
        ]

    def __str__(self) -> str:
        return figure_phrase(self.value, self.qualifier, self.counted, self.value_high)

    @property
    def qualifier_text(self) -> str:
        """The words before the number ("more than"); nothing for an exact figure."""
        return quantity_parts(self.value, self.qualifier, self.value_high)[0]

    @property
    def display_value(self) -> str:
        """The number as people read it ("1,000", "30-40"); nothing for a vague quantity."""
        return quantity_parts(self.value, self.qualifier, self.value_high)[1]

    @property
    def has_scope(self) -> bool:
        """Enough scope to be reconciled: an outcome, a place and a basis."""
        return bool(self.outcome_id and self.place_id and self.basis)
