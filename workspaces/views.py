"""The list of a user's workspaces, and member management for admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workspaces.access import ADMINS
from workspaces.forms import MemberForm, apply_validation_error
from workspaces.http import get_workspace
from workspaces.models import Membership
from workspaces.selectors import (
    locked_out_usernames,
    members_of,
    membership_for_workspace,
    memberships_for_user,
)
from workspaces.services import (
    member_unlock,
    membership_add,
    membership_remove,
    membership_set_role,
)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_for_user(request.user))
    if len(memberships) == 1:
        return redirect("workspace_home", slug=memberships[0].workspace.slug)
    return render(request, "workspaces/home.html", {"memberships": memberships})


@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ADMINS, action="manage members")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_add(workspace=workspace, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("member_list", slug=workspace.slug)
    return render(
        request,
        "workspaces/members.html",
        {
            "workspace": workspace,
            "members": members_of(workspace=workspace),
            "locked_out": locked_out_usernames(workspace=workspace),
            "form": form,
            "roles": Membership.Role.choices,
        },
        status=422 if form.errors else 200,
    )


@require_POST
def member_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ADMINS, action="manage members")
    membership = membership_for_workspace(workspace=workspace, pk=pk)
    try:
        if request.POST.get("action") == "remove":
            membership_remove(membership=membership, actor=request.user)
        elif request.POST.get("action") == "unlock":
            member_unlock(membership=membership, actor=request.user)
            messages.success(request, f"{membership.user.username} can sign in again.")
        else:
            membership_set_role(
                membership=membership, actor=request.user, role=request.POST.get("role", "")
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("member_list", slug=workspace.slug)
