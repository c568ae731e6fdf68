"""What an export covers: a whole workspace, one article, or a filtered list of
claims. The filters are the query-string filters of a claims list (status,
verdict, kind, source, article; each may repeat), so a list's "Export" button
passes its own query string through."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from claims.models import Article, Claim, Source
from workspaces.ids import in_id_range
from workspaces.models import Workspace

FILTERS = ("article", "source", "status", "verdict", "kind")


# Scope parameters that name objects by id.
ID_FILTERS = ("article", "source")


CHOICE_FILTERS = {
    "status": Claim.Status,
    "verdict": Claim.Verdict,
    "kind": Claim.Kind,
}


# "verdict=none" selects claims without a verdict yet.
NO_VERDICT = "none"


@dataclass(frozen=True)
class ExportScope:
    workspace: Workspace
    filters: dict[str, list[Any]] = field(default_factory=dict)
    label: str = ""

    @property
    def kind(self) -> str:
        if not self.filters:
            return "workspace"
        if list(self.filters) == ["article"] and len(self.filters["article"]) == 1:
            return "article"
        return "filtered"

    @property
    def is_workspace(self) -> bool:
        return not self.filters

    def as_dict(self) -> dict[str, Any]:
        """JSON form, stored on the Export row and a Job's params."""
        return {name: list(values) for name, values in self.filters.items()}

    def claims(self) -> QuerySet[Claim]:
        queryset = Claim.objects.filter(workspace=self.workspace)
        for name, values in self.filters.items():
            if name == "verdict" and NO_VERDICT in values:
                real = [v for v in values if v != NO_VERDICT]
                queryset = queryset.filter(Q(verdict="") | Q(verdict__in=real))
            else:
                queryset = queryset.filter(**{f"{name}__in": values})
        return queryset


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    if hasattr(params, "getlist"):
        raw = params.getlist(name)
    else:
        raw = params.get(name, [])
        raw = raw if isinstance(raw, list | tuple) else [raw]
    values: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in values:
                values.append(part)
    return values


def scope_from_params(*, workspace: Workspace, params: Mapping[str, Any]) -> ExportScope:
    """Validate scope parameters (a QueryDict, or a dict of lists from a Job or
    an Export row) against the workspace; raise ValidationError naming the bad one."""
    filters: dict[str, list[Any]] = {}
    labels: list[str] = []
    for name in FILTERS:
        values = _values(params, name)
        if not values:
            continue
        if name in ID_FILTERS:
            try:
                ids = sorted({int(v) for v in values})
            except ValueError:
                raise ValidationError({name: f"“{name}” must be a number."}) from None
            model = Article if name == "article" else Source
            found = dict(
                model.objects.filter(
                    workspace=workspace, pk__in=[i for i in ids if in_id_range(i)]
                ).values_list("pk", "title" if name == "article" else "name")
            )
            missing = [i for i in ids if i not in found]
            if missing:
                raise ValidationError({name: f"No {name} with id {missing[0]} in this workspace."})
            filters[name] = ids
            if name == "article" and len(ids) == 1:
                labels.append(f"article “{found[ids[0]]}”")
            else:
                labels.append(f"{name} {', '.join(f'#{i}' for i in ids)}")
        else:
            choices = CHOICE_FILTERS[name]
            allowed = set(choices.values) | ({NO_VERDICT} if name == "verdict" else set())
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise ValidationError(
                    {
                        name: f"Unknown {name} “{unknown[0]}”; use one of {', '.join(sorted(allowed))}."
                    }
                )
            filters[name] = sorted(values)
            labels.append(f"{name} {' or '.join(sorted(values))}")
    if not filters:
        label = f"workspace “{workspace.name}”"
    elif list(filters) == ["article"] and len(filters["article"]) == 1:
        label = labels[0]
    else:
        label = f"claims of “{workspace.name}” with " + "; ".join(labels)
    return ExportScope(workspace=workspace, filters=filters, label=label[:300])
