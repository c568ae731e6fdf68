"""Reads for suggested claims: the pending list of an article and its latest job."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from claims.models import Article, Claim
from counting.wording import figure_phrase
from jobs.models import Job
from suggestions.models import ClaimSuggestion
from workspaces.models import Workspace
from workspaces.selectors import get_or_not_found


def pending_suggestions(*, article: Article) -> QuerySet[ClaimSuggestion]:
    """Suggestions still waiting for a decision, in text order. A span an
    analyst has meanwhile annotated by hand is left out: accepting it would
    only duplicate that claim."""
    claimed = Claim.objects.filter(
        article_id=OuterRef("article_id"), start=OuterRef("start"), end=OuterRef("end")
    )
    return (
        ClaimSuggestion.objects.filter(article=article)
        .pending()
        .exclude(Exists(claimed))
        .select_related("source")
        .order_by("start", "end", "id")
    )


def suggestion_for_workspace(*, workspace: Workspace, pk: int) -> ClaimSuggestion:
    """A suggestion of this workspace, or 404 (another workspace's id reveals nothing)."""
    return get_or_not_found(
        ClaimSuggestion.objects.select_related(
            "workspace", "article__workspace", "article__outlet", "source"
        ),
        workspace=workspace,
        pk=pk,
    )


def latest_suggestion_job(*, article: Article) -> Job | None:
    return Job.objects.latest_for(kind=Job.Kind.SUGGEST_CLAIMS, target=article)


def figure_label(figure: dict) -> str:
    """'more than 3,000 people displaced' from a stored suggested figure."""
    return figure_phrase(
        figure.get("value", ""), figure.get("qualifier") or "exact", figure.get("counted", "")
    )


def with_display(suggestions) -> list[ClaimSuggestion]:
    """The suggestions as a list, each with `figure_labels` and `chain_names`
    ready for the template (computed from the stored JSON: no queries)."""
    rows = list(suggestions)
    for suggestion in rows:
        suggestion.figure_labels = [figure_label(f) for f in suggestion.figures or []]
        suggestion.chain_names = [link.get("name", "") for link in suggestion.chain or []]
    return rows
