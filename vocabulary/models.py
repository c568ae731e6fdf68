"""The vocabulary figures are scoped with: outcomes, sub-groups, terms and places.

Populations are fixed (civilians, security forces, armed groups, unspecified:
counting.scope.Population); outcomes have a base set shared by every
workspace (rows without a workspace) that a workspace extends. Terms map a
workspace's words ("militants", "pro-Assad fighters", "executed") to an
outcome, a population or a sub-group. Places form the workspace's gazetteer:
country > region > district > locality, each with its alternative spellings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from counting.scope import Population


class Outcome(models.Model):
    """What happened to the people a figure counts: killed, injured, ..."""

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        on_delete=models.CASCADE,
        related_name="outcomes",
        null=True,
        blank=True,
        help_text="Empty for the base outcomes every workspace shares.",
    )
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="outcome_unique_key"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(workspace__isnull=True),
                name="outcome_unique_base_key",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_base(self) -> bool:
        return self.workspace_id is None


class Subgroup(models.Model):
    """A sub-group tag a workspace uses on figures (a named community, ...).
    The base tags (children, women, ...) need no row."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="subgroups"
    )
    key = models.CharField(max_length=40, help_text="Lower case, as figures carry it.")
    label = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="subgroup_unique_key"),
            models.CheckConstraint(condition=~models.Q(key=""), name="subgroup_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label


class Term(models.Model):
    """A word or phrase the workspace maps to an outcome, a population or a
    sub-group: "militants" -> armed groups, "executed" -> killed."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Outcome"
        POPULATION = "population", "Population"
        SUBGROUP = "subgroup", "Sub-group"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="vocabulary_terms"
    )
    phrase = models.CharField(max_length=120)
    key = models.CharField(max_length=120, help_text="The phrase, normalised.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    meaning = models.CharField(
        max_length=40, help_text="The outcome key, population or sub-group tag it means."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "kind", "key"], name="term_unique_key"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["outcome", "population", "subgroup"]),
                name="term_kind_valid",
            ),
            models.CheckConstraint(condition=~models.Q(key=""), name="term_key_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(kind="population")
                | models.Q(meaning__in=[v for v, _ in Population.LABELS.items()]),
                name="term_population_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.meaning}"


class Place(models.Model):
    """A place of the workspace's gazetteer."""

    class Level(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region / governorate / province"
        DISTRICT = "district", "District / city"
        LOCALITY = "locality", "Locality / neighbourhood / village"

    LEVEL_DEPTH = {"country": 0, "region": 1, "district": 2, "locality": 3}

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="places"
    )
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, help_text="The name, normalised.")
    level = models.CharField(max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="children", null=True, blank=True
    )
    alternatives = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="place_not_own_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=["country", "region", "district", "locality"]),
                name="place_level_valid",
            ),
            models.CheckConstraint(condition=~models.Q(key=""), name="place_key_not_empty"),
            # One place of a name under one parent (and at the top).
            models.UniqueConstraint(
                fields=["workspace", "parent", "key"], name="place_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["workspace", "key"],
                condition=models.Q(parent__isnull=True),
                name="place_unique_top_name",
            ),
        ]
        # The places page lists a workspace's places by name (keyset on key, id).
        indexes = [models.Index(fields=["workspace", "key", "id"], name="place_ws_key_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.LEVEL_DEPTH[self.level]


class PlaceName(models.Model):
    """Every name a place goes by (its name and alternative spellings),
    normalised: type-ahead and resolving a typed name use these rows."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200)

    class Meta:
        ordering = ["key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["place", "key"], name="placename_unique"),
        ]
        indexes = [
            # Type-ahead: names starting with what was typed (LIKE 'lat%'; the
            # pattern operator class lets PostgreSQL use the index for it).
            models.Index(
                fields=["workspace", "key"],
                name="placename_prefix_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name
