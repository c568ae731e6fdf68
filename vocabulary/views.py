"""The vocabulary page (outcomes, populations, sub-groups, terms, tolerance),
the places page (the gazetteer), type-ahead for the claim form, and adding
a place from inside the claim form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vocabulary.forms import OutcomeForm, PlaceForm, SubgroupForm, TermForm, ToleranceForm
from vocabulary.selectors import (
    PLACES_PAGE,
    complete_outcomes,
    complete_places,
    complete_subgroups,
    outcome_for_workspace,
    place_for_workspace,
    place_label,
    places_page,
    resolve_place,
    subgroup_for_workspace,
    term_for_workspace,
    vocabulary_page,
)
from vocabulary.services import (
    outcome_create,
    outcome_delete,
    place_create,
    place_delete,
    place_update,
    subgroup_create,
    subgroup_delete,
    term_create,
    term_delete,
    tolerance_set,
)
from workspaces.access import ADMINS, ANNOTATORS
from workspaces.forms import apply_validation_error
from workspaces.http import get_workspace, parse_id


def _typed(request: HttpRequest) -> str:
    """What was typed: `q`, else the one field htmx sent (named like the input)."""
    if "q" in request.GET:
        return request.GET["q"][:200]
    values = [v for k, v in request.GET.items() if k not in ("prefix",)]
    return (values[-1] if values else "")[:200]


@require_GET
def complete_places_view(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    options = complete_places(workspace=workspace, typed=_typed(request))
    return render(request, "vocabulary/_options.html", {"options": options})


@require_GET
def complete_outcomes_view(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    options = complete_outcomes(workspace=workspace, typed=_typed(request))
    return render(request, "vocabulary/_options.html", {"options": options})


@require_GET
def complete_subgroups_view(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    options = complete_subgroups(workspace=workspace, typed=_typed(request))
    return render(request, "vocabulary/_options.html", {"options": options})


@require_http_methods(["GET", "POST"])
def vocabulary(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone reads the vocabulary; admins change it (one form per POST)."""
    workspace = get_workspace(request, slug)
    forms = {
        "term": TermForm(prefix="term"),
        "outcome": OutcomeForm(prefix="outcome"),
        "subgroup": SubgroupForm(prefix="subgroup"),
        "tolerance": ToleranceForm(
            prefix="tolerance",
            initial={
                "tolerance": f"{workspace.figure_tolerance * 100:.1f}".rstrip("0").rstrip(".")
            },
        ),
    }
    status = 200
    if request.method == "POST":
        get_workspace(request, slug, roles=ADMINS, action="edit the vocabulary")
        action = request.POST.get("action", "")
        try:
            if action == "delete_term":
                term_delete(
                    term=term_for_workspace(
                        workspace=workspace, pk=parse_id(request.POST.get("pk"))
                    ),
                    actor=request.user,
                )
            elif action == "delete_outcome":
                outcome_delete(
                    outcome=outcome_for_workspace(
                        workspace=workspace, pk=parse_id(request.POST.get("pk"))
                    ),
                    actor=request.user,
                )
            elif action == "delete_subgroup":
                subgroup_delete(
                    subgroup=subgroup_for_workspace(
                        workspace=workspace, pk=parse_id(request.POST.get("pk"))
                    ),
                    actor=request.user,
                )
            elif action in forms:
                form = forms[action] = type(forms[action])(request.POST, prefix=action)
                if not form.is_valid():
                    raise ValidationError("")
                data = form.cleaned_data
                if action == "term":
                    term_create(workspace=workspace, actor=request.user, **data)
                elif action == "outcome":
                    outcome_create(workspace=workspace, actor=request.user, label=data["label"])
                elif action == "subgroup":
                    subgroup_create(workspace=workspace, actor=request.user, label=data["label"])
                else:
                    tolerance_set(workspace=workspace, actor=request.user, **data)
            else:
                raise ValidationError("Unknown action.")
        except ValidationError as exc:
            status = 422
            if action in forms and any(exc.messages):
                apply_validation_error(forms[action], exc)
            elif any(exc.messages):
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Saved. Figures are reconciled again in the background.")
            return redirect("vocabulary", slug=workspace.slug)
    context = {"workspace": workspace, "forms": forms, **vocabulary_page(workspace=workspace)}
    return render(request, "vocabulary/vocabulary.html", context, status=status)


def _parent(workspace, text: str):
    return resolve_place(workspace=workspace, value=text) if text.strip() else None


@require_http_methods(["GET", "POST"])
def places(request: HttpRequest, slug: str) -> HttpResponse:
    """The gazetteer, a page at a time; analysts and admins add places."""
    workspace = get_workspace(request, slug)
    form = PlaceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        get_workspace(request, slug, roles=ANNOTATORS, action="add places")
        if form.is_valid():
            data = form.cleaned_data
            try:
                place = place_create(
                    workspace=workspace,
                    actor=request.user,
                    name=data["name"],
                    level=data["level"],
                    parent=_parent(workspace, data["parent"]),
                    alternatives=data["alternatives"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"Added {place_label(place)}.")
                return redirect("places", slug=workspace.slug)
        status = 422
    typed = request.GET.get("q", "")[:200]
    rows = places_page(workspace=workspace, typed=typed, after=request.GET.get("after", "")[:250])
    context = {
        "workspace": workspace,
        "form": form,
        "places": rows[:PLACES_PAGE],
        "next_after": f"{rows[PLACES_PAGE - 1].key}|{rows[PLACES_PAGE - 1].pk}"
        if len(rows) > PLACES_PAGE
        else "",
        "typed": typed,
    }
    return render(request, "vocabulary/places.html", context, status=status)


@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ADMINS, action="edit the gazetteer")
    place = place_for_workspace(workspace=workspace, pk=pk)
    initial = {
        "name": place.name,
        "level": place.level,
        "parent": place_label(place.parent) if place.parent else "",
        "alternatives": ", ".join(place.alternatives),
    }
    form = PlaceForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                place_delete(place=place, actor=request.user)
                messages.success(request, f"Deleted {place.name}.")
                return redirect("places", slug=workspace.slug)
            if form.is_valid():
                data = form.cleaned_data
                place_update(
                    place=place,
                    actor=request.user,
                    name=data["name"],
                    level=data["level"],
                    parent=_parent(workspace, data["parent"]),
                    alternatives=data["alternatives"],
                )
                messages.success(request, "Saved.")
                return redirect("places", slug=workspace.slug)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        status = 422
    return render(
        request,
        "vocabulary/place_edit.html",
        {"workspace": workspace, "place": place, "form": form},
        status=status,
    )


@require_POST
def place_inline_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new place from inside the claim form: the answer replaces the small form."""
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="add places")
    data = {k.removeprefix("place-"): v for k, v in request.POST.items() if k.startswith("place-")}
    created, error = None, ""
    name = data.get("new_place_name", "").strip()
    try:
        created = place_create(
            workspace=workspace,
            actor=request.user,
            name=name,
            level=data.get("new_place_level", ""),
            parent=_parent(workspace, data.get("new_place_parent", "")),
            alternatives=[
                a.strip() for a in data.get("new_place_alternatives", "").split(",") if a.strip()
            ],
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return render(
        request,
        "vocabulary/_inline_place.html",
        {
            "workspace": workspace,
            "created": created,
            "created_label": place_label(created) if created else "",
            "error": error,
            "values": data,
            "levels": PlaceForm.base_fields["level"].choices,
        },
        status=422 if error else 200,
    )
