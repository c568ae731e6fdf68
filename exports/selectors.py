"""Reads for exports. Each decides its joins and prefetches so that reading a
chunk of claims costs the same few queries whatever the chunk holds."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast

from archive.models import LinkCheck, Snapshot
from audit.models import AuditEvent
from claims.models import (
    Article,
    Claim,
    ClaimIntermediary,
    ClaimLink,
    Evidence,
    Figure,
    Review,
    Source,
)
from exports.models import Export
from exports.scope import ExportScope
from jobs.models import Job
from vocabulary.models import Outcome, Place, Subgroup, Term
from workspaces.models import Workspace
from workspaces.selectors import get_or_not_found

CLAIM_USERS = ("created_by", "proposed_by", "approved_by")


def _intermediaries() -> Prefetch:
    return Prefetch(
        "intermediaries",
        queryset=ClaimIntermediary.objects.select_related("source").order_by("position"),
    )


def _figures() -> Prefetch:
    """Figures with their scope's outcome and place (and the place's parents)."""
    return Prefetch(
        "figures",
        queryset=Figure.objects.select_related("outcome", "place__parent__parent").order_by(
            "position", "id"
        ),
    )


def _base(scope: ExportScope) -> QuerySet[Claim]:
    # The article body is read once per article when needed, never per claim.
    return (
        scope.claims()
        .select_related("source", "article", "article__outlet", *CLAIM_USERS)
        .defer("article__body")
        .order_by("article_id", "start", "-end", "id")
    )


def claims_for_csv(scope: ExportScope) -> QuerySet[Claim]:
    return _base(scope).prefetch_related(
        _intermediaries(),
        _figures(),
        Prefetch("evidence", queryset=Evidence.objects.only("id", "claim_id", "stance")),
    )


def claims_for_report(scope: ExportScope) -> QuerySet[Claim]:
    latest_snapshots = Snapshot.objects.only(
        "id", "evidence_id", "sha256", "warc_sha256", "fetched_at"
    ).order_by("-fetched_at", "-id")
    return _base(scope).prefetch_related(
        _intermediaries(),
        _figures(),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("publisher", "origin")
            .order_by("stance", "published_on", "id")
            .prefetch_related(Prefetch("snapshots", queryset=latest_snapshots)),
        ),
        Prefetch("reviews", queryset=Review.objects.select_related("reviewer", "proposed_by")),
    )


def claims_for_bundle(scope: ExportScope) -> QuerySet[Claim]:
    return (
        scope.claims()
        .select_related("source", "assignee", *CLAIM_USERS)
        .order_by("article_id", "start", "-end", "id")
        .prefetch_related(
            _intermediaries(),
            _figures(),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("added_by", "publisher", "origin")
                .order_by("id")
                .prefetch_related(
                    Prefetch("link_checks", queryset=LinkCheck.objects.order_by("id"))
                ),
            ),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer", "proposed_by").order_by("id"),
            ),
        )
    )


def claims_for_claimreview(scope: ExportScope) -> QuerySet[Claim]:
    return _base(scope).filter(status=Claim.Status.APPROVED).prefetch_related(_figures())


def claims_for_annotation(scope: ExportScope) -> QuerySet[Claim]:
    return _base(scope)


def history_for_claims(
    *, workspace: Workspace, claim_ids: Iterable[int], evidence_ids: Iterable[int] = ()
) -> QuerySet[AuditEvent]:
    """One query for the history of a chunk of claims and their evidence."""
    return AuditEvent.objects.filter(
        Q(object_type="claim", object_id__in=[str(i) for i in claim_ids])
        | Q(object_type="evidence", object_id__in=[str(i) for i in evidence_ids]),
        workspace=workspace,
    ).order_by("sequence")


def counts_by(scope: ExportScope, field: str) -> dict[str, int]:
    rows = scope.claims().order_by().values(field).annotate(n=Count("id"))
    return {row[field]: row["n"] for row in rows}


def articles_in_scope(scope: ExportScope) -> QuerySet[Article]:
    articles = Article.objects.filter(workspace=scope.workspace).select_related(
        "outlet", "imported_by"
    )
    if not scope.is_workspace:
        articles = articles.filter(pk__in=scope.claims().values("article_id"))
    return articles.order_by("id")


def sources_in_scope(scope: ExportScope) -> QuerySet[Source]:
    """A workspace export carries every source; a narrower one the sources its
    claims, chains, evidence and articles refer to."""
    sources = Source.objects.filter(workspace=scope.workspace).select_related("created_by")
    if not scope.is_workspace:
        claims = scope.claims()
        evidence = Evidence.objects.filter(claim__in=claims)
        sources = sources.filter(
            Q(pk__in=claims.values("source_id"))
            | Q(pk__in=ClaimIntermediary.objects.filter(claim__in=claims).values("source_id"))
            | Q(pk__in=evidence.values("publisher_id"))
            | Q(pk__in=evidence.values("origin_id"))
            | Q(pk__in=articles_in_scope(scope).values("outlet_id"))
        )
    return sources.order_by("id")


def links_in_scope(scope: ExportScope) -> QuerySet[ClaimLink]:
    links = ClaimLink.objects.filter(workspace=scope.workspace).select_related("created_by")
    if not scope.is_workspace:
        claims = scope.claims().values("pk")
        links = links.filter(from_claim__in=claims, to_claim__in=claims)
    return links.order_by("id")


def snapshots_in_scope(scope: ExportScope) -> QuerySet[Snapshot]:
    snapshots = Snapshot.objects.filter(workspace=scope.workspace)
    if not scope.is_workspace:
        snapshots = snapshots.filter(
            Q(evidence__claim__in=scope.claims())
            | Q(article__in=articles_in_scope(scope).values("pk"))
        )
    return snapshots.order_by("id")


def _as_text(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(object_key=Cast("pk", CharField())).values("object_key")


def events_in_scope(scope: ExportScope, *, up_to_sequence: int) -> QuerySet[AuditEvent]:
    """The whole chain for a workspace export; for a narrower one, the events
    about the objects it carries."""
    events = AuditEvent.objects.filter(workspace=scope.workspace, sequence__lte=up_to_sequence)
    if not scope.is_workspace:
        claims = scope.claims()
        events = events.filter(
            Q(object_type="claim", object_id__in=_as_text(claims))
            | Q(object_type="article", object_id__in=_as_text(articles_in_scope(scope)))
            | Q(object_type="source", object_id__in=_as_text(sources_in_scope(scope)))
            | Q(
                object_type="evidence",
                object_id__in=_as_text(Evidence.objects.filter(claim__in=claims)),
            )
            | Q(object_type="claimlink", object_id__in=_as_text(links_in_scope(scope)))
        )
    return events.order_by("sequence")


# The exports page's keyset order, newest first (export_ws_recent_idx).
EXPORT_ORDER = ("-created_at", "-id")


def exports_for_workspace(*, workspace: Workspace) -> QuerySet[Export]:
    """The exports page: never loads the stored files themselves."""
    return (
        Export.objects.filter(workspace=workspace)
        .select_related("created_by", "job")
        .annotate(has_content=ExpressionWrapper(~Q(file=""), output_field=BooleanField()))
        .order_by(*EXPORT_ORDER)
    )


def export_jobs_for_workspace(*, workspace: Workspace) -> QuerySet[Job]:
    return (
        Job.objects.filter(workspace=workspace, kind=Job.Kind.EXPORT)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def chosen_for_picker(model, *, workspace: Workspace, values) -> list[tuple[int, str]]:
    """(id, title or name) of the articles or sources a scope names, for the
    pickers of the exports page (never a list of every row)."""
    ids = []
    for value in values:
        for part in str(value).split(","):
            if part.strip().isdigit() and len(part.strip()) < 19:
                ids.append(int(part))
    if not ids:
        return []
    label = "title" if model is Article else "name"
    return list(
        model.objects.filter(workspace=workspace, pk__in=ids)
        .order_by(label)
        .values_list("pk", label)
    )


def export_for_download(*, workspace: Workspace, pk: int) -> Export:
    return get_or_not_found(
        Export.objects.filter(workspace=workspace).exclude(file="").select_related("workspace"),
        pk=pk,
    )


def places_for_bundle(scope: ExportScope) -> list[Place]:
    """The workspace's gazetteer, parents before children (a gazetteer is
    hundreds of places, not millions: read whole)."""
    places = list(Place.objects.filter(workspace=scope.workspace).order_by("id"))
    return sorted(places, key=lambda p: (Place.LEVEL_DEPTH[p.level], p.pk))


def vocabulary_for_bundle(scope: ExportScope) -> list[dict]:
    """The workspace's own outcomes, sub-groups and terms (the base ones every
    workbench has are left out)."""
    workspace = scope.workspace
    items: list[dict] = [
        {"type": "outcome", "id": o.pk, "key": o.key, "label": o.label}
        for o in Outcome.objects.filter(workspace=workspace).order_by("id")
    ]
    items += [
        {"type": "subgroup", "id": s.pk, "key": s.key, "label": s.label}
        for s in Subgroup.objects.filter(workspace=workspace).order_by("id")
    ]
    items += [
        {"type": "term", "id": t.pk, "kind": t.kind, "phrase": t.phrase, "meaning": t.meaning}
        for t in Term.objects.filter(workspace=workspace).order_by("id")
    ]
    return items
