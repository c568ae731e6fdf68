"""Matching in the claim panel, the figures reconciliation page, and article
versions (import an edited text, re-place orphaned claims)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from claims.forms import apply_validation_error
from claims.models import Article, Claim
from claims.selectors import article_for_workspace, claim_for_workspace
from claims.selectors_matching import (
    claim_panel_context as matching_context,
)
from claims.selectors_matching import (
    figures_reconciliation,
    orphans_for_versions,
    proposal_for_workspace,
    version_chain,
)
from claims.services.access import ANNOTATORS, require_role
from claims.services.articles import body_from_upload
from claims.services.matching import matches_find_start, proposal_confirm, proposal_dismiss
from claims.services.versions import article_version_import, claim_replace
from claims.views.common import error_response, get_workspace

PANEL = "claims/claim_panel.html#claim_detail"
MATCHES = "claims/_claim_matches.html#claim_matches"
VERSION_PREFIX = "version"


# Claim panel ------------------------------------------------------------------


def _panel_answer(request: HttpRequest, workspace, claim_pk: int) -> HttpResponse:
    """The claim panel again, so links, independence and proposals agree."""
    if not request.htmx:
        return redirect("claim_detail", slug=workspace.slug, pk=claim_pk)
    from claims.views.claims import claim_panel_context

    return render(request, PANEL, claim_panel_context(workspace, claim_pk, request.user))


def _panel_claim_pk(request: HttpRequest, proposal) -> int:
    """The claim whose panel the analyst acted from (one of the proposal's two)."""
    try:
        pk = int(request.POST.get("claim", ""))
    except ValueError:
        pk = 0
    return pk if pk in (proposal.claim_id, proposal.other_id) else proposal.claim_id


def _matches_section(request: HttpRequest, workspace, pk: int) -> HttpResponse:
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    context = {
        "workspace": workspace,
        "claim": claim,
        "can_annotate": workspace.my_role in ANNOTATORS,
        **matching_context(claim),
    }
    return render(request, MATCHES, context)


@require_GET
def claim_matches(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The matching section alone: polled while the match job runs."""
    return _matches_section(request, get_workspace(request, slug), pk)


@require_POST
def claim_matches_find(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    matches_find_start(claim=claim, actor=request.user)
    if not request.htmx:
        return redirect("claim_detail", slug=workspace.slug, pk=claim.pk)
    return _matches_section(request, workspace, claim.pk)


@require_POST
def proposal_confirm_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    proposal = proposal_for_workspace(workspace=workspace, pk=pk)
    panel_pk = _panel_claim_pk(request, proposal)
    from_claim = Claim.objects.filter(pk=panel_pk, workspace=workspace).first()
    try:
        proposal_confirm(
            proposal=proposal,
            actor=request.user,
            relation=request.POST.get("relation", ""),
            from_claim=from_claim,
            note=request.POST.get("note", "")[:2000],
        )
    except ValidationError as exc:
        return error_response(request, " ".join(exc.messages), status=422)
    return _panel_answer(request, workspace, panel_pk)


@require_POST
def proposal_dismiss_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    proposal = proposal_for_workspace(workspace=workspace, pk=pk)
    panel_pk = _panel_claim_pk(request, proposal)
    proposal_dismiss(proposal=proposal, actor=request.user)
    return _panel_answer(request, workspace, panel_pk)


# Figures reconciliation -------------------------------------------------------


@require_GET
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    reconciliation = figures_reconciliation(workspace=workspace)
    return render(
        request,
        "claims/figures.html",
        {"workspace": workspace, "reconciliation": reconciliation},
    )


# Article versions -------------------------------------------------------------


class NewVersionForm(forms.Form):
    title = forms.CharField(max_length=300, required=False, help_text="Blank keeps the title.")
    published_on = forms.DateField(
        label="Publication date of the edit",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Blank keeps the original date.",
    )
    body = forms.CharField(
        label="Edited text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    upload = forms.FileField(
        label="Or upload a file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm"}),
    )

    def clean(self):
        cleaned = super().clean()
        has_body = bool((cleaned.get("body") or "").strip())
        if has_body and cleaned.get("upload"):
            raise ValidationError("Paste text or upload a file, not both.")
        if not has_body and not cleaned.get("upload") and not self.has_error("upload"):
            raise ValidationError("Paste the edited text or upload a file.")
        return cleaned


def _versions_context(workspace, article, form=None) -> dict:
    chain = version_chain(article=article)
    latest = chain[-1]
    return {
        "workspace": workspace,
        "article": article,
        "chain": chain,
        "latest": latest,
        "is_latest": latest.pk == article.pk,
        "position": next((i for i, a in enumerate(chain, start=1) if a.pk == article.pk), 1),
        "orphans": orphans_for_versions(chain=chain, article=article),
        "can_annotate": workspace.my_role in ANNOTATORS,
        "version_form": form or NewVersionForm(prefix=VERSION_PREFIX),
    }


@require_GET
def article_versions(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The versions of an article, its orphaned claims and the new-version form:
    the whole page, or (htmx) the box loaded into the article page."""
    workspace = get_workspace(request, slug)
    article = article_for_workspace(workspace=workspace, pk=pk)
    context = _versions_context(workspace, article)
    if request.htmx:
        return render(request, "claims/article_versions.html#versions_box", context)
    return render(request, "claims/article_versions.html", context)


@require_http_methods(["POST"])
def article_new_version(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    article = article_for_workspace(workspace=workspace, pk=pk)
    require_role(
        workspace=workspace, user=request.user, roles=ANNOTATORS, action="import new versions"
    )
    form = NewVersionForm(request.POST, request.FILES, prefix=VERSION_PREFIX)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["upload"]:
                body = body_from_upload(data["upload"].read(), data["upload"].name)
            else:
                body = data["body"]
            imported = article_version_import(
                article=article,
                actor=request.user,
                body=body,
                title=data["title"],
                published_on=data["published_on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            target = redirect("article_detail", slug=workspace.slug, pk=imported.article.pk)
            if request.htmx:
                return HttpResponseClientRedirect(target.url)
            return target
    return render(
        request,
        "claims/article_versions.html",
        _versions_context(workspace, article, form),
        status=422,
    )


@require_POST
def claim_replace_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Re-place an orphaned claim on a newer version, where the analyst selected
    or typed its passage."""
    workspace = get_workspace(request, slug)
    claim = get_object_or_404(
        Claim.objects.select_related("workspace", "article"), workspace=workspace, pk=pk
    )
    require_role(workspace=workspace, user=request.user, roles=ANNOTATORS, action="re-place claims")

    def number(name: str) -> int | None:
        try:
            return int(request.POST.get(name, ""))
        except ValueError:
            return None

    article = Article.objects.filter(workspace=workspace, pk=number("article") or 0).first()
    if article is None:
        return error_response(
            request, "Choose the version of the article to place the claim on.", status=422
        )

    try:
        claim_replace(
            claim=claim,
            article=article,
            actor=request.user,
            expected_version=number("version") or -1,
            start=number("start"),
            end=number("end"),
            quote=request.POST.get("quote") or None,
        )
    except ValidationError as exc:
        return error_response(request, " ".join(exc.messages), status=422)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect("article_detail", slug=workspace.slug, pk=article.pk)
