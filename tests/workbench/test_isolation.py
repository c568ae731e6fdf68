"""Workspace isolation: a member of another workspace gets 404 on every URL,
and an anonymous visitor is sent to the login page."""

import pytest
from django.urls import reverse

from claims.models import Claim, Source
from tests.conftest import make_member
from tests.workbench.url_catalog import CATALOG, build_world, catalog_urls, workspace_url_names


@pytest.fixture
def world(workspace, analyst, article, claim, monitor):
    return build_world(
        workspace=workspace, analyst=analyst, article=article, claim=claim, monitor=monitor
    )


def test_it_knows_every_workspace_url():
    assert workspace_url_names() == sorted(CATALOG)


def test_it_answers_404_to_a_member_of_another_workspace_everywhere(
    client, world, workspace, other_workspace
):
    stranger = make_member(other_workspace, "stranger", "admin")
    client.force_login(stranger)
    for name, url, _methods, data in catalog_urls(workspace.slug, world):
        for method in ("get", "post"):
            # 405 for a method the view never accepts reveals nothing either.
            status = getattr(client, method)(url, data if method == "post" else None).status_code
            assert status in (404, 405), (name, method, status)


def test_it_answers_404_for_objects_of_another_workspace_under_ones_own_slug(
    client, world, other_workspace
):
    """Own workspace slug, foreign object ids: still 404, never the object."""
    member = make_member(other_workspace, "member", "admin")
    client.force_login(member)
    for name, url, _methods, data in catalog_urls(other_workspace.slug, world):
        if CATALOG[name][0] is None:
            continue
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, data).status_code in (404, 405), name
    assert Claim.objects.count() == 2
    assert Source.objects.filter(workspace=other_workspace).count() == 0


def test_it_sends_anonymous_visitors_to_log_in(client, world, workspace):
    for name, url, _methods, _data in catalog_urls(workspace.slug, world):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("login")), name


def test_it_answers_401_to_anonymous_htmx_requests(client, world, workspace):
    response = client.get(
        reverse("claim_detail", args=[workspace.slug, world["claim"]]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 401


def test_it_answers_404_for_an_unknown_workspace(client_for, analyst):
    assert (
        client_for(analyst).get(reverse("workspace_home", args=["no-such-desk"])).status_code == 404
    )


def test_it_shows_only_ones_own_workspaces(
    client_for, analyst, workspace, other_workspace, outsider
):
    make_member(other_workspace, "both", "analyst")
    response = client_for(analyst).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace_home", args=[workspace.slug])
