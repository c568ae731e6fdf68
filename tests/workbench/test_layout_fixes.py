"""What the restructure fixed: malformed hidden fields answer 4xx (they were
500s), pages that answer a page or a fragment vary on HX-Request, every
field's aria-describedby points at an element that exists, and a database
of the first layout is refused with a clear message."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import ClaimLink
from claims.services.claims import claim_create
from claims.services.links import claim_link_create
from workspaces.checks import old_layout_database

HTMX = {"HTTP_HX_REQUEST": "true"}
ROOT = Path(__file__).resolve().parents[2]


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if attributes.get("aria-describedby"):
            self.described += attributes["aria-describedby"].split()


def _dangling_descriptions(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return [ref for ref in parser.described if ref not in parser.ids]


@pytest.fixture
def other_claim(article, analyst, ministry):
    quote = 'blamed the violence on "individual actions"'
    return _claim(article, analyst, ministry, quote)


def _claim(article, analyst, source, quote):
    return claim_create(article=article, actor=analyst, source=source, quote=quote)


def test_removing_a_link_with_a_malformed_claim_id_answers_the_panel(
    client_for, analyst, claim, other_claim
):
    link = claim_link_create(
        from_claim=claim, to_claim=other_claim, relation="corroborates", actor=analyst
    )
    url = reverse("link_remove", args=[claim.workspace.slug, link.pk])
    response = client_for(analyst).post(url, {"claim": "abc"}, **HTMX)
    assert response.status_code == 200
    assert not ClaimLink.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize("assignee", ["abc", "-1", "99999999999999999999", "1.5"])
def test_assigning_to_a_malformed_user_id_is_a_clear_400(client_for, analyst, claim, assignee):
    url = reverse("claim_assign", args=[claim.workspace.slug, claim.pk])
    response = client_for(analyst).post(
        url, {"assignee": assignee, "version": claim.version}, **HTMX
    )
    assert response.status_code == 400
    assert "Choose a member" in response.content.decode()
    claim.refresh_from_db()
    assert claim.assignee_id is None


def test_ids_out_of_range_answer_404(client_for, analyst, claim):
    url = f"/w/{claim.workspace.slug}/claims/{2**63 + 5}/"
    assert client_for(analyst).get(url).status_code == 404


def test_pages_that_answer_a_fragment_vary_on_hx_request(client_for, analyst, claim):
    url = reverse("claim_detail", args=[claim.workspace.slug, claim.pk])
    client = client_for(analyst)
    page, fragment = client.get(url), client.get(url, **HTMX)
    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    for response in (page, fragment):
        assert "HX-Request" in response["Vary"]


def test_every_aria_describedby_points_at_an_element(client_for, analyst, article, admin_user):
    client = client_for(analyst)
    workspace = article.workspace
    pages = [
        client.get(reverse("claim_new", args=[workspace.slug, article.pk]), **HTMX),
        # A failing save: errors and help text on several fields.
        client.post(
            reverse("claim_new", args=[workspace.slug, article.pk]),
            {"quote": "not in the text", "kind": "nonsense", "credibility": "9"},
            **HTMX,
        ),
        client.get(reverse("article_import", args=[workspace.slug])),
        client.post(reverse("article_import", args=[workspace.slug]), {"title": ""}),
        client.get(reverse("source_new", args=[workspace.slug])),
        client.get(reverse("export_list", args=[workspace.slug])),
        client_for(admin_user).get(reverse("member_list", args=[workspace.slug])),
    ]
    assert all("aria-describedby" in r.content.decode() for r in pages[:4])
    for response in pages:
        assert response.status_code in (200, 422)
        html = response.content.decode()
        assert _dangling_descriptions(html) == [], response.request["PATH_INFO"]


def test_make_demo_on_a_database_of_the_first_layout_says_what_to_do(tmp_path):
    """`migrate` (which `make demo` runs) stops with the advice, changing nothing."""
    old = tmp_path / "workbench.sqlite3"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE claims_workspace (id integer primary key)")
        db.execute("CREATE TABLE django_migrations (app text, name text, applied text)")
        db.execute("INSERT INTO django_migrations VALUES ('claims', '0004_matching_search', '')")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["WORKBENCH_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "earlier layout" in result.stderr and f"mv {old}" in result.stderr
    with sqlite3.connect(old) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert tables == {"claims_workspace", "django_migrations"}


def test_a_current_database_passes_the_layout_check(db):
    assert old_layout_database(databases=["default"]) == []
    call_command("check", "--database", "default")


@pytest.mark.parametrize("debug", [True, False])
def test_every_response_carries_the_csp_header_even_debug_404s(
    client_for, analyst, settings, debug
):
    """Also seen in the review: with DEBUG=1, 404 pages had no CSP header."""
    settings.DEBUG = debug
    client = client_for(analyst)
    for path in ("/no-such-page/", "/w/no-such-workspace/", "/healthz"):
        response = client.get(path)
        assert "default-src 'self'" in response["Content-Security-Policy"], (path, debug)
