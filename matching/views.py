"""Matching in the claim panel: the proposals section (polled while the match
job runs), finding matches again, confirming or dismissing a proposal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.presenters import claim_panel_context
from claims.selectors import (
    claim_for_workspace,
    find_claim,
)
from matching.selectors import claim_panel_context as matching_context
from matching.selectors import proposal_for_workspace
from matching.services import matches_find_start, proposal_confirm, proposal_dismiss
from workspaces.http import error_response, get_workspace, parse_id

PANEL = "claims/claim_panel.html#claim_detail"


MATCHES = "matching/_claim_matches.html#claim_matches"


def _panel_answer(request: HttpRequest, workspace, claim_pk: int) -> HttpResponse:
    """The claim panel again, so links, independence and proposals agree."""
    if not request.htmx:
        return redirect("claim_detail", slug=workspace.slug, pk=claim_pk)
    return render(
        request,
        PANEL,
        claim_panel_context(workspace=workspace, user=request.user, claim_id=claim_pk),
    )


def _panel_claim_pk(request: HttpRequest, proposal) -> int:
    """The claim whose panel the analyst acted from (one of the proposal's two)."""
    pk = parse_id(request.POST.get("claim"))
    return pk if pk in (proposal.claim_id, proposal.other_id) else proposal.claim_id


def _matches_section(request: HttpRequest, workspace, pk: int) -> HttpResponse:
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    context = {
        "workspace": workspace,
        "claim": claim,
        "can_annotate": workspace.access.can_annotate,
        **matching_context(claim),
    }
    return render(request, MATCHES, context)


@require_GET
def claim_matches(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The matching section alone: polled while the match job runs."""
    return _matches_section(request, get_workspace(request, slug), pk)


@vary_on_headers("HX-Request")
@require_POST
def claim_matches_find(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    matches_find_start(claim=claim, actor=request.user)
    if not request.htmx:
        return redirect("claim_detail", slug=workspace.slug, pk=claim.pk)
    return _matches_section(request, workspace, claim.pk)


@vary_on_headers("HX-Request")
@require_POST
def proposal_confirm_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    proposal = proposal_for_workspace(workspace=workspace, pk=pk)
    panel_pk = _panel_claim_pk(request, proposal)
    from_claim = find_claim(workspace=workspace, pk=panel_pk)
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


@vary_on_headers("HX-Request")
@require_POST
def proposal_dismiss_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    proposal = proposal_for_workspace(workspace=workspace, pk=pk)
    panel_pk = _panel_claim_pk(request, proposal)
    proposal_dismiss(proposal=proposal, actor=request.user)
    return _panel_answer(request, workspace, panel_pk)
