"""Evidence, claim links, workflow transitions, the review queue, my claims."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.exceptions import StaleVersion
from claims.forms import ClaimLinkForm, EvidenceForm, TransitionForm
from claims.models import Claim
from claims.presenters import claim_panel_context
from claims.selectors import (
    claim_for_workspace,
    claim_link_for_workspace,
    claims_for_user,
    evidence_for_workspace,
    find_claim,
    review_queue,
    sources_for_workspace,
)
from claims.services.evidence import evidence_create, evidence_delete, evidence_update
from claims.services.links import claim_link_create, claim_link_delete
from claims.services.workflow import claim_assign, claim_transition
from workspaces.access import ANNOTATORS, REVIEWERS
from workspaces.forms import apply_validation_error
from workspaces.http import error_response, get_workspace, parse_id, parse_int
from workspaces.selectors import members_of


def _panel(request, workspace, claim_pk, *, status: int = 200, **forms) -> HttpResponse:
    """The claim panel after a change (or with a form's errors)."""
    if not request.htmx:
        return redirect("claim_detail", slug=workspace.slug, pk=claim_pk)
    context = claim_panel_context(workspace=workspace, user=request.user, claim_id=claim_pk)
    context.update(forms)
    return render(request, "claims/claim_panel.html#claim_detail", context, status=status)


@vary_on_headers("HX-Request")
@require_POST
def evidence_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="add evidence")
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    form = EvidenceForm(request.POST, workspace=workspace)
    if form.is_valid():
        data = form.cleaned_data
        data.pop("version")
        try:
            evidence_create(claim=claim, actor=request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _panel(request, workspace, claim.pk)
    return _panel(request, workspace, claim.pk, evidence_form=form, status=422)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Edit one piece of evidence in place; a stale version is refused (409)
    with the analyst's input kept on screen."""
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="edit evidence")
    evidence = evidence_for_workspace(workspace=workspace, pk=pk)
    if request.method == "GET":
        form = EvidenceForm(
            initial={
                **{
                    f: getattr(evidence, f)
                    for f in (
                        "stance",
                        "kind",
                        "title",
                        "url",
                        "published_on",
                        "excerpt",
                        "note",
                        "version",
                    )
                },
                "publisher": evidence.publisher_id,
                "origin": evidence.origin_id,
            },
            workspace=workspace,
        )
        return render(
            request,
            "claims/_evidence_section.html#evidence_edit_form",
            {"workspace": workspace, "ev": evidence, "form": form},
        )
    form = EvidenceForm(request.POST, workspace=workspace)
    status = 422
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            evidence_update(
                evidence=evidence,
                actor=request.user,
                expected_version=version if version is not None else -1,
                **data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except StaleVersion as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            return _panel(request, workspace, evidence.claim_id)
    return render(
        request,
        "claims/_evidence_section.html#evidence_edit_form",
        {"workspace": workspace, "ev": evidence, "form": form},
        status=status,
    )


@vary_on_headers("HX-Request")
@require_POST
def evidence_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="remove evidence")
    evidence = evidence_for_workspace(workspace=workspace, pk=pk)
    version = parse_int(request.POST.get("version"))
    evidence_delete(evidence=evidence, actor=request.user, expected_version=version)
    return _panel(request, workspace, evidence.claim_id)


@vary_on_headers("HX-Request")
@require_POST
def link_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="link claims")
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    form = ClaimLinkForm(request.POST)
    if form.is_valid():
        other = find_claim(workspace=workspace, pk=form.cleaned_data["to_claim"])
        if other is None:
            form.add_error("to_claim", "No such claim in this workspace.")
        else:
            try:
                claim_link_create(
                    from_claim=claim,
                    to_claim=other,
                    relation=form.cleaned_data["relation"],
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return _panel(request, workspace, claim.pk)
    return _panel(request, workspace, claim.pk, link_form=form, status=422)


@vary_on_headers("HX-Request")
@require_POST
def link_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="unlink claims")
    link = claim_link_for_workspace(workspace=workspace, pk=pk)
    # The panel the analyst acted from: one of the link's two claims.
    claim_pk = parse_id(request.POST.get("claim"))
    if claim_pk not in (link.from_claim_id, link.to_claim_id):
        claim_pk = link.from_claim_id
    claim_link_delete(link=link, actor=request.user)
    return _panel(request, workspace, claim_pk)


@vary_on_headers("HX-Request")
@require_POST
def claim_transition_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Every workflow step. Refusals (wrong state, role, four eyes, stale
    version) answer 409/403 with the message; nothing changes."""
    workspace = get_workspace(request, slug)
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return error_response(
            request, "The request is missing the step or the claim version.", status=400
        )
    data = form.cleaned_data
    claim = claim_transition(
        claim=claim,
        name=data["name"],
        actor=request.user,
        expected_version=data["version"],
        verdict=data["verdict"],
        rationale=data["rationale"],
        comment=data["comment"],
        reason=data["reason"],
    )
    if request.POST.get("from") == "queue" and request.htmx:
        return render(
            request,
            "claims/review_queue.html#queue_row_done",
            {"claim": claim, "workspace": workspace},
        )
    return _panel(request, workspace, claim.pk)


@vary_on_headers("HX-Request")
@require_POST
def claim_assign_self(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS | REVIEWERS, action="assign claims")
    claim = claim_for_workspace(workspace=workspace, pk=pk)
    version = parse_int(request.POST.get("version"))
    assignee = request.user
    if "assignee" in request.POST:
        wanted = request.POST["assignee"].strip()
        assignee = None
        if wanted:
            member = members_of(workspace=workspace).filter(user_id=parse_id(wanted)).first()
            if member is None:
                return error_response(
                    request, "Choose a member of this workspace (or nobody).", status=400
                )
            assignee = member.user
    claim_assign(claim=claim, actor=request.user, assignee=assignee, expected_version=version)
    return _panel(request, workspace, claim.pk)


@require_GET
def review_queue_view(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    filters = {key: request.GET.get(key) or None for key in ("article", "source", "kind")}
    for key in ("article", "source"):
        filters[key] = parse_id(filters[key])
    if filters["kind"] not in Claim.Kind.values:
        filters["kind"] = None
    claims = review_queue(workspace=workspace, **filters)
    return render(
        request,
        "claims/review_queue.html",
        {
            "workspace": workspace,
            "claims": claims,
            "filters": filters,
            "articles": workspace.articles.order_by("title").only("id", "title"),
            "sources": sources_for_workspace(workspace=workspace).only("id", "name"),
            "kinds": Claim.Kind.choices,
            "can_review": workspace.access.can_review,
        },
    )


@require_GET
def my_claims(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    return render(
        request,
        "claims/my_claims.html",
        {"workspace": workspace, "claims": claims_for_user(workspace=workspace, user=request.user)},
    )
