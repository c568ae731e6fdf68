"""The claims table (filters in the URL, keyset pages, bulk actions, export of
the current filter) and the search page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.models import Article, Claim, Source
from exports.scope import (
    DATE_FILTERS,
    FILTERS,
    NO_VERDICT,
    NOBODY,
    ExportScope,
    scope_from_params,
)
from search.selectors import (
    DEFAULT_SORT,
    PAGE_SIZE,
    RANK_CANDIDATES,
    SECTION_SIZES,
    SIMILAR_CANDIDATES,
    SORTS,
    claims_table,
    members_for_assigning,
    members_for_filter,
    names_for,
    search_articles,
    search_claims,
    search_evidence,
    search_sources,
)
from search.services import BULK_ACTIONS, MAX_BULK, claims_bulk_apply
from workspaces.http import get_workspace, parse_id, parse_int
from workspaces.pagination import PAGE_SIZES, page_size

SEARCH_PAGES = RANK_CANDIDATES // PAGE_SIZE


def _filter_chips(params: QueryDict, scope: ExportScope, names: dict) -> list[dict]:
    """Each active filter value with the URL that removes just it."""
    chips = []
    labels = {
        "status": dict(Claim.Status.choices),
        "verdict": {**dict(Claim.Verdict.choices), NO_VERDICT: "No verdict yet"},
        "kind": dict(Claim.Kind.choices),
        "grade": {v: f"Grade {v}" for v in "ABCDEF"},
    }
    for name, values in scope.filters.items():
        for value in values:
            remaining = params.copy()
            remaining.setlist(name, [v for v in params.getlist(name) if v != str(value)])
            for key in ("after", "before"):
                remaining.pop(key, None)
            if name == "q":
                text = f"“{value}”"
            elif name in labels:
                text = labels[name].get(value, value)
            elif name in ("article", "source", "assignee"):
                text = names.get(name, {}).get(value, f"#{value}")
                if name == "assignee":
                    text = "Unassigned" if value == NOBODY else f"Assigned to {text}"
            elif name in DATE_FILTERS:
                text = f"{name.replace('_', ' ').capitalize()} {value}"
            else:
                what = "conflicts" if name == "has_conflict" else "evidence"
                text = f"{'With' if value == 'yes' else 'Without'} {what}"
            chips.append({"name": name, "text": text, "query": remaining.urlencode()})
    return chips


def _table_context(request: HttpRequest, workspace, *, outcome=None, bulk_error="") -> dict:
    params = request.GET
    context = {
        "workspace": workspace,
        "statuses": Claim.Status.choices,
        "verdicts": [*Claim.Verdict.choices, (NO_VERDICT, "No verdict yet")],
        "kinds": Claim.Kind.choices,
        "grades": Source.Reliability.choices,
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "sizes": PAGE_SIZES,
        "members": members_for_filter(workspace=workspace),
        "assignable": members_for_assigning(workspace=workspace),
        "bulk_actions": BULK_ACTIONS,
        "max_bulk": MAX_BULK,
        "outcome": outcome,
        "bulk_error": bulk_error,
        "filter_errors": [],
        "values": {name: params.getlist(name) for name in FILTERS},
        "sort": params.get("sort") if params.get("sort") in SORTS else DEFAULT_SORT,
        "size": page_size(params.get("size")),
    }
    try:
        scope = scope_from_params(workspace=workspace, params=params)
    except ValidationError as exc:
        context["filter_errors"] = exc.messages
        return context
    names = {
        "article": dict(
            names_for(Article, workspace=workspace, ids=scope.filters.get("article", []))
        ),
        "source": dict(names_for(Source, workspace=workspace, ids=scope.filters.get("source", []))),
        "assignee": {m.user_id: m.user.username for m in context["members"]},
    }
    table = claims_table(
        scope=scope,
        sort=context["sort"],
        after=params.get("after", ""),
        before=params.get("before", ""),
        size=context["size"],
    )
    context.update(
        scope=scope,
        table=table,
        chips=_filter_chips(params, scope, names),
        chosen_articles=list(names["article"].items()),
        chosen_sources=list(names["source"].items()),
        export_pairs=scope.as_pairs(),
    )
    return context


@vary_on_headers("HX-Request")
@require_GET
def claims_table_view(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    context = _table_context(request, workspace)
    status = 400 if context["filter_errors"] else 200
    template = "search/claims.html#claims_results" if request.htmx else "search/claims.html"
    return render(request, template, context, status=status)


@vary_on_headers("HX-Request")
@require_POST
def claims_bulk_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply a bulk action to the chosen claims, then show the same page of
    the table (its filters are in the query string) with what was done and
    what was refused, per claim."""
    workspace = get_workspace(request, slug)
    versions: dict[int, int] = {}
    for value in request.POST.getlist("claim")[: MAX_BULK + 1]:
        pk = parse_id(value)
        if pk is not None:
            versions[pk] = parse_int(request.POST.get(f"v{pk}"))
    assignee = None
    action = request.POST.get("action", "")
    bulk_error = ""
    outcome = None
    if action == "assign" and request.POST.get("assignee"):
        member = (
            members_for_assigning(workspace=workspace)
            .filter(user_id=parse_id(request.POST["assignee"]))
            .first()
        )
        if member is None:
            bulk_error = "Choose an analyst or admin of this workspace (or nobody)."
        assignee = member.user if member else None
    if not bulk_error:
        try:
            outcome = claims_bulk_apply(
                workspace=workspace,
                actor=request.user,
                action=action,
                versions=versions,
                assignee=assignee,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            bulk_error = " ".join(exc.messages)
    context = _table_context(request, workspace, outcome=outcome, bulk_error=bulk_error)
    status = 400 if bulk_error else 200
    template = "search/claims.html#claims_results" if request.htmx else "search/claims.html"
    return render(request, template, context, status=status)


@require_GET
def search_view(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    params = request.GET
    only = params.get("type") if params.get("type") in SECTION_SIZES else ""
    page = min(max(parse_int(params.get("page"), default=1), 1), SEARCH_PAGES)
    context = {
        "workspace": workspace,
        "q": params.get("q", ""),
        "only": only,
        "sections": [],
        "filter_errors": [],
        "has_filters": False,
        "rank_candidates": f"{RANK_CANDIDATES:,}",
        "similar_candidates": f"{SIMILAR_CANDIDATES:,}",
    }
    try:
        scope = scope_from_params(workspace=workspace, params=params)
    except ValidationError as exc:
        context["filter_errors"] = exc.messages
        return render(request, "search/search.html", context, status=400)
    text = scope.filters.get("q", [""])[0]
    context["q"] = text
    context["has_filters"] = any(name != "q" for name in scope.filters)
    context["claims_query"] = QueryDict(mutable=True)
    for name, value in scope.as_pairs():
        context["claims_query"].appendlist(name, value)
    if text:
        searches = {
            "claims": lambda size, page: search_claims(scope, text, page=page, size=size),
            "articles": lambda size, page: search_articles(workspace, text, page=page, size=size),
            "evidence": lambda size, page: search_evidence(workspace, text, page=page, size=size),
            "sources": lambda size, page: search_sources(workspace, text, page=page, size=size),
        }
        if only:
            context["sections"] = [searches[only](PAGE_SIZE, page)]
        else:
            context["sections"] = [
                search(SECTION_SIZES[name], 1) for name, search in searches.items()
            ]
    context["claims_query"] = context["claims_query"].urlencode()
    return render(request, "search/search.html", context)
