"""Claims in the article page: the form to create and edit one, its panel, deleting it,
and creating a source from inside the form."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.exceptions import StaleVersion
from claims.forms import (
    ClaimForm,
    FigureFormSet,
    InlinePlaceForm,
    InlineSourceForm,
    claim_fields,
    figure_initial,
    submit_claim_form,
)
from claims.presenters import article_page_context, claim_panel_context
from claims.selectors import article_for_workspace, claim_for_workspace, sources_for_workspace
from claims.services.claims import claim_create, claim_delete, claim_update
from claims.services.sources import source_create
from vocabulary.models import Place
from vocabulary.selectors import scope_suggestion
from workspaces.access import ANNOTATORS
from workspaces.forms import apply_validation_error
from workspaces.http import get_workspace, parse_int, render_fragments


def _after_change(request, *, workspace, article, panel: tuple[str, dict]) -> HttpResponse:
    """An htmx answer after a claim changed: the panel, plus the article text
    and claim list re-rendered out of band so the highlight appears at once."""
    page = article_page_context(workspace=workspace, article=article)
    page["oob"] = True
    return render_fragments(
        request,
        panel,
        ("claims/article_detail.html#article_text", page),
        ("claims/article_detail.html#claim_list", page),
    )


def _form_context(workspace, article, form, figures, claim=None) -> dict:
    return {
        "workspace": workspace,
        "article": article,
        "form": form,
        "figures": figures,
        "claim": claim,
        "source_form": InlineSourceForm(prefix="inline"),
        "place_form": InlinePlaceForm(prefix="place"),
        "place_levels": Place.Level.choices,
    }


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def claim_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="annotate claims")
    article = article_for_workspace(workspace=workspace, pk=pk)
    if request.method == "GET":
        initial = {}
        start, end = parse_int(request.GET.get("start")), parse_int(request.GET.get("end"))
        if 0 <= start < end <= len(article.body):
            initial = {"start": start, "end": end, "quote": article.body[start:end]}
        form = ClaimForm(initial=initial, workspace=workspace)
        figures = FigureFormSet(prefix="fig")
        return render(
            request,
            "claims/claim_panel.html#claim_form",
            _form_context(workspace, article, form, figures),
        )

    submitted = submit_claim_form(
        request.POST,
        workspace=workspace,
        save=lambda **fields: claim_create(article=article, actor=request.user, **fields),
    )
    if submitted.claim is not None:
        if not request.htmx:
            return redirect("article_detail", slug=workspace.slug, pk=article.pk)
        return _after_change(
            request,
            workspace=workspace,
            article=article,
            panel=(
                "claims/claim_panel.html#claim_detail",
                claim_panel_context(
                    workspace=workspace, user=request.user, claim_id=submitted.claim.pk
                ),
            ),
        )
    form, figures = submitted.form, submitted.figures
    return render(
        request,
        "claims/claim_panel.html#claim_form",
        _form_context(workspace, article, form, figures),
        status=422,
    )


@vary_on_headers("HX-Request")
@require_GET
def claim_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    context = claim_panel_context(workspace=workspace, user=request.user, claim_id=pk)
    if request.htmx:
        return render(request, "claims/claim_panel.html#claim_detail", context)
    return render(request, "claims/claim_page.html", context)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def claim_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="edit claims")
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    article = claim.article
    if request.method == "GET":
        chain = {
            f"via_{i}": via.source_id for i, via in enumerate(claim.intermediaries.all(), start=1)
        }
        form = ClaimForm(
            initial={
                "start": claim.start,
                "end": claim.end,
                "quote": claim.quote,
                "source": claim.source_id,
                "kind": claim.kind,
                "statement": claim.statement,
                "summary": claim.summary,
                "credibility": claim.credibility,
                "version": claim.version,
                **chain,
            },
            workspace=workspace,
        )
        figures = FigureFormSet(
            prefix="fig",
            initial=[figure_initial(f, list(claim.figures.all())) for f in claim.figures.all()],
        )
        return render(
            request,
            "claims/claim_panel.html#claim_form",
            _form_context(workspace, article, form, figures, claim),
        )

    form = ClaimForm(request.POST, workspace=workspace)
    figures = FigureFormSet(request.POST, prefix="fig")
    status = 422
    if form.is_valid() and figures.is_valid():
        data = form.cleaned_data
        if data["version"] is None:
            form.add_error(None, "The form is missing the claim's version; reload the claim.")
        else:
            try:
                claim = claim_update(
                    claim=claim,
                    actor=request.user,
                    expected_version=data["version"],
                    **claim_fields(form, figures),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except StaleVersion as exc:
                # Keep the analyst's input on screen beside what changed meanwhile.
                form.add_error(None, exc.message)
                status = 409
                context = _form_context(workspace, article, form, figures, claim)
                context["stale"] = exc
                context["current"] = claim_for_workspace(workspace=workspace, pk=claim.pk)
                return render(request, "claims/claim_panel.html#claim_form", context, status=status)
            else:
                if not request.htmx:
                    return redirect("claim_detail", slug=workspace.slug, pk=claim.pk)
                return _after_change(
                    request,
                    workspace=workspace,
                    article=article,
                    panel=(
                        "claims/claim_panel.html#claim_detail",
                        claim_panel_context(
                            workspace=workspace, user=request.user, claim_id=claim.pk
                        ),
                    ),
                )
    return render(
        request,
        "claims/claim_panel.html#claim_form",
        _form_context(workspace, article, form, figures, claim),
        status=status,
    )


@vary_on_headers("HX-Request")
@require_POST
def claim_delete_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="delete claims")
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    article = claim.article
    version = parse_int(request.POST.get("version"))
    claim_delete(claim=claim, actor=request.user, expected_version=version)
    if not request.htmx:
        return redirect("article_detail", slug=workspace.slug, pk=article.pk)
    return _after_change(
        request,
        workspace=workspace,
        article=article,
        panel=(
            "claims/claim_panel.html#claim_deleted",
            {"article": article, "workspace": workspace},
        ),
    )


@require_POST
def source_inline_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Create a source from inside the claim form; answer with the refreshed
    'Attributed to' select with the new source chosen."""
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="create sources")
    source_form = InlineSourceForm(request.POST, prefix="inline")
    selected = request.POST.get("source")
    status = 200
    if source_form.is_valid():
        data = source_form.cleaned_data
        try:
            with transaction.atomic():
                source = source_create(
                    workspace=workspace,
                    actor=request.user,
                    name=data["new_source_name"],
                    kind=data["new_source_kind"],
                    reliability=data["new_source_reliability"],
                )
        except ValidationError as exc:
            # The service speaks of "name"; the inline form calls it new_source_name.
            for message in exc.messages:
                source_form.add_error("new_source_name", message)
            status = 422
        else:
            selected = str(source.pk)
            source_form = InlineSourceForm(prefix="inline")
    else:
        status = 422
    return render(
        request,
        "claims/claim_panel.html#source_picker",
        {
            "workspace": workspace,
            "sources": sources_for_workspace(workspace=workspace),
            "selected": selected,
            "source_form": source_form,
        },
        status=status,
    )


@require_GET
def claim_form_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    article = article_for_workspace(workspace=workspace, pk=pk)
    return render(
        request,
        "claims/article_detail.html#panel_hint",
        {
            "workspace": workspace,
            "article": article,
            "can_annotate": workspace.access.can_annotate,
        },
    )


@require_GET
def figure_scope_hint(request: HttpRequest, slug: str) -> HttpResponse:
    """What the words of a figure's "what is counted" suggest (shown as the
    analyst types; saving fills in what is left blank the same way)."""
    workspace = get_workspace(request, slug)
    counted = next((v for k, v in request.GET.items() if k.endswith("counted")), "")[:200]
    return render(
        request,
        "claims/claim_panel.html#scope_hint",
        {"hint": scope_suggestion(workspace=workspace, counted=counted)},
    )
