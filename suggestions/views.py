"""Suggested claims on the article page: run the job, review, accept, edit, dismiss.

Every answer re-renders the suggestions section; an answer that created
claims also re-renders the article text and the claim list out of band, so
the new highlights appear without a reload.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.forms import CHAIN_LENGTH, ClaimForm, FigureFormSet, InlineSourceForm, submit_claim_form
from claims.presenters import article_page_context, claim_panel_context
from claims.selectors import article_for_workspace
from suggestions.models import ClaimSuggestion
from suggestions.selectors import (
    latest_suggestion_job,
    pending_suggestions,
    suggestion_for_workspace,
    with_display,
)
from suggestions.services import (
    SourceBook,
    suggestion_accept,
    suggestion_accept_edited,
    suggestion_dismiss,
    suggestions_accept,
    suggestions_dismiss,
    suggestions_start,
)
from workspaces.access import ANNOTATORS, require_role
from workspaces.http import error_response, get_workspace, render_fragments

SECTION = "suggestions/suggestions.html#suggestion_section"


BULK_ACTIONS = {"accept_selected", "accept_all", "dismiss_selected", "dismiss_all"}


def _section_context(workspace, article, *, oob: bool = False) -> dict:
    return {
        "workspace": workspace,
        "article": article,
        "suggestions": with_display(pending_suggestions(article=article)),
        "job": latest_suggestion_job(article=article),
        "can_annotate": workspace.access.can_annotate,
        "oob": oob,
    }


def _page_fragments(workspace, article) -> list[tuple[str, dict]]:
    """The article text and claim list, out of band: the new highlights."""
    page = article_page_context(workspace=workspace, article=article)
    page["oob"] = True
    return [
        ("claims/article_detail.html#article_text", page),
        ("claims/article_detail.html#claim_list", page),
    ]


def _after_decision(request, workspace, article, *, claims_changed: bool) -> HttpResponse:
    if not request.htmx:
        return redirect("article_detail", slug=workspace.slug, pk=article.pk)
    fragments = [(SECTION, _section_context(workspace, article))]
    if claims_changed:
        fragments += _page_fragments(workspace, article)
    return render_fragments(request, *fragments)


def _refused(request, exc: ValidationError) -> HttpResponse:
    return error_response(request, " ".join(exc.messages), status=422)


@require_GET
def suggestion_list(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The suggestions section of an article page (loaded after the page)."""
    workspace = get_workspace(request, slug)
    article = article_for_workspace(workspace=workspace, pk=pk)
    return render(request, SECTION, _section_context(workspace, article))


@require_GET
def suggestion_job_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The running job's progress line, polled while it runs; once it ends,
    the refreshed list comes along out of band."""
    workspace = get_workspace(request, slug)
    article = article_for_workspace(workspace=workspace, pk=pk)
    context = _section_context(workspace, article)
    fragments = [("suggestions/suggestions.html#job_status", context)]
    if context["job"] is None or not context["job"].is_active:
        fragments.append(
            ("suggestions/suggestions.html#suggestion_items", {**context, "items_oob": True})
        )
    return render_fragments(request, *fragments)


@vary_on_headers("HX-Request")
@require_POST
def suggestions_run(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="review suggestions")
    article = article_for_workspace(workspace=workspace, pk=pk)
    suggestions_start(article=article, actor=request.user)
    if not request.htmx:
        return redirect("article_detail", slug=workspace.slug, pk=article.pk)
    return render(request, SECTION, _section_context(workspace, article))


@vary_on_headers("HX-Request")
@require_POST
def suggestion_accept_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="review suggestions")
    suggestion = suggestion_for_workspace(workspace=workspace, pk=pk)
    try:
        suggestion_accept(suggestion=suggestion, actor=request.user)
    except ValidationError as exc:
        return _refused(request, exc)
    return _after_decision(request, workspace, suggestion.article, claims_changed=True)


@vary_on_headers("HX-Request")
@require_POST
def suggestion_dismiss_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="review suggestions")
    suggestion = suggestion_for_workspace(workspace=workspace, pk=pk)
    suggestion_dismiss(suggestion=suggestion, actor=request.user)
    return _after_decision(request, workspace, suggestion.article, claims_changed=False)


@vary_on_headers("HX-Request")
@require_POST
def suggestions_bulk(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept or dismiss the checked suggestions, or all pending ones."""
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="review suggestions")
    article = article_for_workspace(workspace=workspace, pk=pk)
    action = request.POST.get("action", "")
    if action not in BULK_ACTIONS:
        return error_response(request, "Unknown action.", status=400)
    ids = None
    if action.endswith("_selected"):
        try:
            ids = [int(i) for i in request.POST.getlist("ids")]
        except ValueError:
            return error_response(request, "The selection is malformed.", status=400)
    try:
        if action.startswith("accept"):
            suggestions_accept(article=article, actor=request.user, ids=ids)
        else:
            suggestions_dismiss(article=article, actor=request.user, ids=ids)
    except ValidationError as exc:
        return _refused(request, exc)
    return _after_decision(request, workspace, article, claims_changed=action.startswith("accept"))


# The figure form's fields a suggested figure may fill (the contract's keys).
SUGGESTED_FIGURE_FIELDS = (
    "qualifier",
    "value",
    "value_high",
    "counted",
    "outcome",
    "population",
    "place",
    "as_of",
    "period_start",
    "period_end",
    "basis",
)


def _initial(suggestion: ClaimSuggestion, book: SourceBook) -> tuple[dict, list[dict], dict]:
    """Claim form, figure formset and inline source form initial data taken
    from a suggestion; names that are no source yet prefill the new-source form."""
    source = book.by_pk.get(suggestion.source_id) if suggestion.source_id else None
    speaker_name = suggestion.proposed_source_name or suggestion.speaker
    if source is None and speaker_name:
        source = book.find(speaker_name)
    initial = {
        "start": suggestion.start,
        "end": suggestion.end,
        "quote": suggestion.quote,
        "source": source.pk if source else None,
        "kind": suggestion.kind,
        "statement": suggestion.statement,
    }
    position = 0
    for link in suggestion.chain or []:
        via = book.by_pk.get(link.get("source")) if link.get("source") else None
        via = via or book.find(str(link.get("name", "")))
        if via is not None and position < CHAIN_LENGTH:
            position += 1
            initial[f"via_{position}"] = via.pk
    figures = [
        {key: f.get(key) for key in SUGGESTED_FIGURE_FIELDS if f.get(key) not in (None, "")}
        | ({"subgroups": ", ".join(f["subgroups"])} if f.get("subgroups") else {})
        | ({"part_of": f["part_of"] + 1} if isinstance(f.get("part_of"), int) else {})
        for f in suggestion.figures or []
    ]
    new_source = {}
    if source is None and speaker_name:
        new_source = {
            "new_source_name": speaker_name,
            "new_source_kind": suggestion.proposed_source_kind or "other",
        }
    return initial, figures, new_source


def _form_context(workspace, suggestion, form, figures, source_form, book) -> dict:
    missing = [
        link.get("name", "")
        for link in suggestion.chain or []
        if not (link.get("source") in book.by_pk or book.find(str(link.get("name", ""))))
    ]
    return {
        "workspace": workspace,
        "article": suggestion.article,
        "suggestion": suggestion,
        "form": form,
        "figures": figures,
        "claim": None,
        "source_form": source_form,
        "missing_chain": missing,
        # The ordinary claim form, posting here so that saving also accepts the suggestion.
        "form_action": reverse("suggestion_edit", args=[workspace.slug, suggestion.pk]),
    }


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def suggestion_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The claim form prefilled from a suggestion; saving it accepts the suggestion."""
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="review suggestions")
    suggestion = suggestion_for_workspace(workspace=workspace, pk=pk)
    article = suggestion.article
    require_role(
        workspace=workspace, user=request.user, roles=ANNOTATORS, action="accept suggested claims"
    )
    book = SourceBook(workspace)
    if request.method == "GET":
        initial, figure_initial, new_source = _initial(suggestion, book)
        form = ClaimForm(initial=initial, workspace=workspace)
        figures = FigureFormSet(prefix="fig", initial=figure_initial)
        source_form = InlineSourceForm(prefix="inline", initial=new_source)
        return render(
            request,
            "suggestions/suggestions.html#suggestion_form",
            _form_context(workspace, suggestion, form, figures, source_form, book),
        )

    submitted = submit_claim_form(
        request.POST,
        workspace=workspace,
        save=lambda **fields: suggestion_accept_edited(
            suggestion=suggestion, actor=request.user, **fields
        ),
    )
    form, figures, claim = submitted.form, submitted.figures, submitted.claim
    if claim is not None:
        if not request.htmx:
            return redirect("article_detail", slug=workspace.slug, pk=article.pk)
        return render_fragments(
            request,
            (
                "claims/claim_panel.html#claim_detail",
                claim_panel_context(workspace=workspace, user=request.user, claim_id=claim.pk),
            ),
            *_page_fragments(workspace, article),
            (SECTION, _section_context(workspace, article, oob=True)),
        )
    return render(
        request,
        "suggestions/suggestions.html#suggestion_form",
        _form_context(
            workspace, suggestion, form, figures, InlineSourceForm(prefix="inline"), book
        ),
        status=422,
    )
