"""What an export covers: a whole workspace, one article, or a filtered list of
claims. The filters are the query-string filters of the claims table and the
search page (each may repeat where it takes several values), so a list's
"Export" button passes its own query string through and exports exactly the
claims the list shows:

    q               words to find in the claim (full text, claims.fulltext)
    article, source ids (several allowed)
    status, verdict, kind, grade     choices (several allowed; verdict=none:
                    no verdict yet; grade: the source's reliability, A-F)
    assignee        user ids of members, or "none" for unassigned
    created_from, created_to, proposed_from, proposed_to, approved_from,
    approved_to     dates (YYYY-MM-DD, inclusive, UTC)
    has_conflict    yes/no: a confirmed "contradicts" link or a pending
                    conflict proposal, on either side
    has_evidence    yes/no
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from claims import fulltext
from claims.models import Article, Claim, ClaimLink, Evidence, Source
from matching.models import LinkProposal
from workspaces.ids import in_id_range
from workspaces.models import Membership, Workspace

TEXT_FILTERS = ("q",)

# Scope parameters that name objects by id.
ID_FILTERS = ("article", "source")

CHOICE_FILTERS = {
    "status": Claim.Status,
    "verdict": Claim.Verdict,
    "kind": Claim.Kind,
    "grade": Source.Reliability,
}

USER_FILTERS = ("assignee",)

# name: (field, which end of the range)
DATE_FILTERS = {
    "created_from": ("created_at", "from"),
    "created_to": ("created_at", "to"),
    "proposed_from": ("proposed_at", "from"),
    "proposed_to": ("proposed_at", "to"),
    "approved_from": ("approved_at", "from"),
    "approved_to": ("approved_at", "to"),
}

FLAG_FILTERS = ("has_conflict", "has_evidence")

FILTERS = (
    *TEXT_FILTERS,
    *ID_FILTERS,
    *CHOICE_FILTERS,
    *USER_FILTERS,
    *DATE_FILTERS,
    *FLAG_FILTERS,
)

# "verdict=none" selects claims without a verdict yet; "assignee=none" unassigned ones.
NO_VERDICT = "none"
NOBODY = "none"
YES, NO = "yes", "no"

# Several values for these; one for the others (text, dates, flags).
MULTI_VALUED = (*ID_FILTERS, *CHOICE_FILTERS, *USER_FILTERS)


def _day_bounds(value: str, end: str) -> datetime:
    """The instant a date filter starts (from) or stops before (to), in UTC."""
    day = date.fromisoformat(value)
    if end == "to":
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=UTC)


def conflicted_claims(workspace: Workspace) -> Q:
    """Claims with a confirmed contradiction or a pending conflict proposal."""
    links = ClaimLink.objects.filter(workspace=workspace, relation=ClaimLink.Relation.CONTRADICTS)
    proposals = LinkProposal.objects.filter(
        workspace=workspace,
        status=LinkProposal.Status.PENDING,
        relation=LinkProposal.Relation.CONFLICT,
    )
    return (
        Q(pk__in=links.values("from_claim_id"))
        | Q(pk__in=links.values("to_claim_id"))
        | Q(pk__in=proposals.values("claim_id"))
        | Q(pk__in=proposals.values("other_id"))
    )


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

    def as_pairs(self) -> list[tuple[str, str]]:
        """(name, value) pairs: the scope as a query string or hidden inputs."""
        return [(name, str(value)) for name, values in self.filters.items() for value in values]

    def claims(self) -> QuerySet[Claim]:
        queryset = Claim.objects.filter(workspace=self.workspace)
        for name, values in self.filters.items():
            if name == "q":
                queryset = fulltext.matching(queryset, fulltext.CLAIMS, values[0])
            elif name == "verdict" and NO_VERDICT in values:
                real = [v for v in values if v != NO_VERDICT]
                queryset = queryset.filter(Q(verdict="") | Q(verdict__in=real))
            elif name == "grade":
                graded = Source.objects.filter(workspace=self.workspace, reliability__in=values)
                queryset = queryset.filter(source_id__in=graded.values("pk"))
            elif name == "assignee":
                ids = [v for v in values if v != NOBODY]
                condition = Q(assignee_id__in=ids)
                if NOBODY in values:
                    condition |= Q(assignee__isnull=True)
                queryset = queryset.filter(condition)
            elif name in DATE_FILTERS:
                column, end = DATE_FILTERS[name]
                lookup = "gte" if end == "from" else "lt"
                queryset = queryset.filter(**{f"{column}__{lookup}": _day_bounds(values[0], end)})
            elif name == "has_conflict":
                condition = conflicted_claims(self.workspace)
                queryset = queryset.filter(condition if values[0] == YES else ~condition)
            elif name == "has_evidence":
                exists = Exists(Evidence.objects.filter(claim_id=OuterRef("pk")))
                queryset = queryset.filter(exists if values[0] == YES else ~exists)
            else:
                queryset = queryset.filter(**{f"{name}__in": values})
        return queryset


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    if hasattr(params, "getlist"):
        raw = params.getlist(name)
    else:
        raw = params.get(name, [])
        raw = raw if isinstance(raw, list | tuple) else [raw]
    if name in TEXT_FILTERS:
        text = fulltext.clean_query(" ".join(str(item) for item in raw))
        return [text] if text else []
    values: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in values:
                values.append(part)
    return values


def _single(name: str, values: list[str]) -> str:
    if len(values) > 1:
        raise ValidationError({name: f"“{name}” takes one value."})
    return values[0]


def _ids(name: str, values: list[str]) -> list[int]:
    try:
        ids = sorted({int(v) for v in values})
    except ValueError:
        raise ValidationError({name: f"“{name}” must be a number."}) from None
    if any(not 0 < i < 2**63 for i in ids):
        raise ValidationError({name: f"“{name}” must be a number."})
    return ids


def scope_from_params(*, workspace: Workspace, params: Mapping[str, Any]) -> ExportScope:
    """Validate scope parameters (a QueryDict, or a dict of lists from a Job or
    an Export row) against the workspace; raise ValidationError naming the bad one."""
    filters: dict[str, list[Any]] = {}
    labels: list[str] = []
    for name in FILTERS:
        values = _values(params, name)
        if not values:
            continue
        if name in TEXT_FILTERS:
            filters[name] = values
            labels.append(f"matching “{values[0]}”")
        elif name in ID_FILTERS:
            ids = _ids(name, values)
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
        elif name in CHOICE_FILTERS:
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
        elif name in USER_FILTERS:
            nobody = NOBODY in values
            ids = _ids(name, [v for v in values if v != NOBODY])
            names = dict(
                Membership.objects.filter(workspace=workspace, user_id__in=ids).values_list(
                    "user_id", "user__username"
                )
            )
            missing = [i for i in ids if i not in names]
            if missing:
                raise ValidationError({name: f"No member with id {missing[0]} in this workspace."})
            filters[name] = [*ids, *([NOBODY] if nobody else [])]
            who = [names[i] for i in ids] + (["nobody"] if nobody else [])
            labels.append(f"assigned to {' or '.join(who)}")
        elif name in DATE_FILTERS:
            value = _single(name, values)
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValidationError({name: f"“{name}” must be a date like 2025-03-31."}) from None
            filters[name] = [value]
            column, end = DATE_FILTERS[name]
            labels.append(
                f"{column.removesuffix('_at')} {'from' if end == 'from' else 'to'} {value}"
            )
        else:
            value = _single(name, values)
            if value not in (YES, NO):
                raise ValidationError({name: f"“{name}” must be “yes” or “no”."})
            filters[name] = [value]
            what = "conflicts" if name == "has_conflict" else "evidence"
            labels.append(f"{'with' if value == YES else 'without'} {what}")
    for column in ("created", "proposed", "approved"):
        start, stop = filters.get(f"{column}_from"), filters.get(f"{column}_to")
        if start and stop and start[0] > stop[0]:
            raise ValidationError({f"{column}_to": f"The {column} dates end before they start."})
    if not filters:
        label = f"workspace “{workspace.name}”"
    elif list(filters) == ["article"] and len(filters["article"]) == 1:
        label = labels[0]
    else:
        label = f"claims of “{workspace.name}” with " + "; ".join(labels)
    return ExportScope(workspace=workspace, filters=filters, label=label[:300])
