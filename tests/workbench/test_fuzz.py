"""Every malformed input is a 4xx with a message, never a 500 (F12).

A property-based fuzzer (Hypothesis) posts and gets every workspace URL of
the catalogue with generated fields: the names the views and forms read,
holding numbers out of every range, text that is not a number, broken URLs,
NUL bytes, very long and odd Unicode, lists where one value is expected. The
answer must not be a 5xx, and a 4xx must carry a message. Ids in paths are
fuzzed too (huge, zero), on SQLite as on PostgreSQL. Bounded examples keep
the run modest (FUZZ_EXAMPLES, default 6 per URL and method)."""

from __future__ import annotations

import os

import pytest
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_member
from tests.workbench.url_catalog import CATALOG, build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))

# What the views and forms read (request.POST/GET keys and form field names).
FIELDS = [
    "action", "article", "assignee", "claim", "decision", "end", "format", "from", "ids",
    "next", "note", "offset", "quote", "relation", "role", "source", "start", "url",
    "username", "version", "name", "verdict", "rationale", "comment", "reason", "title",
    "body", "outlet", "published_on", "language", "kind", "statement", "credibility",
    "via_1", "via_2", "stance", "publisher", "origin", "excerpt", "to_claim", "status",
    "scope", "include_real_names", "aliases", "description", "reliability", "protected",
    "new_source_name", "new_source_kind", "new_source_reliability", "fig-TOTAL_FORMS",
    "fig-INITIAL_FORMS", "fig-0-value", "fig-0-qualifier", "fig-0-counted",
    "version-body", "version-title", "version-published_on",
]  # fmt: skip

NASTY = [
    "abc", "", " ", "-1", "0", "1", "2", "99", "9223372036854775807", "9223372036854775808",
    str(2**64), str(2**70), "-9223372036854775809", "1e308", "NaN", "1.5", "[::1",
    "http://[::1", "http://", "https://exa mple.org/", "javascript:alert(1)", "ftp://x",
    "http://127.0.0.1:0/", "\x00", "a\x00b", "%00", "\ud7ff\ue000", "🙂" * 50, "x" * 5000,
    "<script>alert(1)</script>", "' OR 1=1 --", "2025-02-30", "9999-12-31", "0000-00-00",
    "approve", "propose", "remove", "unlock", "role", "admin", "accept", "csv", "pdf",
    "corroborated", "approved", "true", "on",
]  # fmt: skip

values = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
)
field_values = st.one_of(values, values, st.lists(values, min_size=2, max_size=3))

RECORDED = ("__getitem__", "get", "getlist", "__contains__")


def _payloads(keys):
    """Each field the view reads, present or not, holding a generated value."""
    return st.fixed_dictionaries({}, optional={key: field_values for key in sorted(keys)})


def _fields_read(client, method, url, data) -> set[str]:
    """The names a view reads from the request (request.POST/GET and the
    forms' widgets), found by recording the lookups of one plain request."""
    seen: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in RECORDED}

    def recording(name):
        def lookup(self, key, *args, **kwargs):
            seen.add(key)
            return originals[name](self, key, *args, **kwargs)

        return lookup

    for name in RECORDED:
        setattr(QueryDict, name, recording(name))
    try:
        getattr(client, method)(url, data)
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)
    return {key for key in seen if isinstance(key, str) and key != "csrfmiddlewaretoken"}


path_ids = st.one_of(
    st.sampled_from([0, 2**63 - 1, 2**63, 2**64, 2**70, 10**30]),
    st.integers(min_value=0, max_value=2**80),
)

URLS = [(name, method) for name, (_, methods, _) in CATALOG.items() for method in methods]


@pytest.fixture
def world(workspace, analyst, article, claim, monitor, admin_user):
    # A second admin, so the fuzzed admin can change memberships.
    make_member(workspace, "second-admin", "admin")
    return build_world(
        workspace=workspace, analyst=analyst, article=article, claim=claim, monitor=monitor
    )


def _check(response, what):
    assert response.status_code < 500, what
    if 400 <= response.status_code < 500:
        assert response.content.strip(), ("a 4xx without a message", what)


@pytest.mark.parametrize(("name", "method"), URLS)
def test_malformed_input_never_gives_a_500(client, world, workspace, admin_user, name, method):
    client.force_login(admin_user)
    kind, _, base = CATALOG[name]
    url = reverse(name, args=[workspace.slug] + ([world[kind]] if kind else []))
    keys = _fields_read(client, method, url, base) | set(base)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=_payloads(keys or FIELDS), htmx=st.booleans())
    def fuzz(data, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        if method == "post":
            response = client.post(url, data, **headers)
        else:
            response = client.get(url, data, **headers)
        _check(response, (name, method, data))

    fuzz()


@pytest.mark.parametrize("name", sorted({n for n, (kind, _, _) in CATALOG.items() if kind}))
def test_ids_out_of_range_answer_404(client, world, workspace, admin_user, name):
    client.force_login(admin_user)
    _, methods, data = CATALOG[name]

    @settings(
        max_examples=4,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(pk=path_ids)
    def fuzz(pk):
        url = f"/w/{workspace.slug}" + reverse(name, args=[workspace.slug, 1]).split(
            f"/w/{workspace.slug}", 1
        )[1].replace("/1/", f"/{pk}/", 1)
        for method in methods:
            response = getattr(client, method)(url, data if method == "post" else None)
            if pk > 2**63 - 1 or pk == 0:
                assert response.status_code == 404, (name, method, pk)
            _check(response, (name, method, pk))

    fuzz()


# The review's own cases (F12), kept as plain regression tests.
F12_CASES = [
    ("claim_assign", "claim", {"assignee": "abc", "version": "1"}),
    ("article_fetch", None, {"url": "http://[::1"}),
    ("link_remove", "link", {"claim": "abc"}),
    ("evidence_add", "claim", {"stance": "context", "title": "t", "publisher": str(2**64)}),
    ("claim_new", "article", {"quote": "x", "source": str(2**63), "kind": "other"}),
    ("export_create", None, {"format": "csv", "article": str(2**70)}),
    ("review_queue", None, {"article": str(2**64), "source": "-1"}),
    ("suggestions_bulk", "article", {"action": "accept_selected", "ids": [str(2**64)]}),
    # Found by the fuzzer on PostgreSQL: a NUL in a raw filter reached the query.
    ("review_queue", None, {"kind": "\x00", "article": "abc"}),
    ("claim_transition", "claim", {"name": "dismiss", "version": "1", "reason": "a\x00b"}),
]


@pytest.mark.parametrize(("name", "kind", "data"), F12_CASES)
def test_f12_the_reviews_cases_answer_4xx(client, world, workspace, admin_user, name, kind, data):
    client.force_login(admin_user)
    url = reverse(name, args=[workspace.slug] + ([world[kind]] if kind else []))
    method = "post" if "post" in CATALOG[name][1] else "get"
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = getattr(client, method)(url, data, **headers)
        assert response.status_code < 500, (name, response.status_code)
        _check(response, name)


def test_ids_above_2_63_in_paths_are_404(client, world, workspace, admin_user):
    client.force_login(admin_user)
    for pk in (2**63, 2**64, 10**30):
        response = client.get(f"/w/{workspace.slug}/claims/{pk}/")
        assert response.status_code == 404
    assert client.get(f"/w/{workspace.slug}/claims/0/").status_code == 404
    assert client.get(f"/w/{workspace.slug}/sources/0/edit/").status_code == 404
