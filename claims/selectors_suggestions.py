"""Reads for suggested claims: the pending list of an article and its latest job."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from claims.models import Article, Claim, ClaimSuggestion, Figure, Job, Workspace

QUALIFIER_LABELS = dict(Figure.Qualifier.choices)
VAGUE_QUALIFIERS = {Figure.Qualifier.DOZENS, Figure.Qualifier.HUNDREDS, Figure.Qualifier.THOUSANDS}


def pending_suggestions(*, article: Article) -> QuerySet[ClaimSuggestion]:
    """Suggestions still waiting for a decision, in text order. A span an
    analyst has meanwhile annotated by hand is left out: accepting it would
    only duplicate that claim."""
    claimed = Claim.objects.filter(
        article_id=OuterRef("article_id"), start=OuterRef("start"), end=OuterRef("end")
    )
    return (
        ClaimSuggestion.objects.filter(article=article, status=ClaimSuggestion.Status.PENDING)
        .exclude(Exists(claimed))
        .select_related("source")
        .order_by("start", "end", "id")
    )


def suggestion_for_workspace(*, workspace: Workspace, pk: int) -> ClaimSuggestion:
    """A suggestion of this workspace, or 404 (another workspace's id reveals nothing)."""
    return get_object_or_404(
        ClaimSuggestion.objects.select_related(
            "workspace", "article__workspace", "article__outlet", "source"
        ),
        workspace=workspace,
        pk=pk,
    )


def latest_suggestion_job(*, article: Article) -> Job | None:
    return (
        Job.objects.filter(
            workspace_id=article.workspace_id,
            kind=Job.Kind.SUGGEST_CLAIMS,
            target_type="article",
            target_id=str(article.pk),
        )
        .order_by("-created_at", "-id")
        .first()
    )


def figure_label(figure: dict) -> str:
    """'more than 3,000 people displaced' from a stored suggested figure."""
    qualifier = figure.get("qualifier") or Figure.Qualifier.EXACT
    value = figure.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = f"{value:,}" if isinstance(value, int | float) else str(value)
    if qualifier in VAGUE_QUALIFIERS:
        return f"{QUALIFIER_LABELS[qualifier]} {figure.get('counted', '')}".strip()
    if qualifier == Figure.Qualifier.EXACT:
        return f"{number} {figure.get('counted', '')}".strip()
    return (
        f"{QUALIFIER_LABELS.get(qualifier, qualifier)} {number} {figure.get('counted', '')}".strip()
    )


def with_display(suggestions) -> list[ClaimSuggestion]:
    """The suggestions as a list, each with `figure_labels` and `chain_names`
    ready for the template (computed from the stored JSON: no queries)."""
    rows = list(suggestions)
    for suggestion in rows:
        suggestion.figure_labels = [figure_label(f) for f in suggestion.figures or []]
        suggestion.chain_names = [link.get("name", "") for link in suggestion.chain or []]
    return rows
