"""Workspace isolation: a member of another workspace gets 404 on every URL,
and an anonymous visitor is sent to the login page."""

import pytest
from django.urls import get_resolver, reverse

from claims.models import Claim, Source
from tests.conftest import make_member


@pytest.fixture
def world(workspace, analyst, article, claim, monitor):
    from claims.services.evidence import evidence_create
    from claims.services.links import claim_link_create
    from claims.services.claims import claim_create

    evidence = evidence_create(claim=claim, actor=analyst, stance="corroborates", title="Report")
    other = claim_create(article=article, actor=analyst, source=monitor, quote="745 civilians")
    link = claim_link_create(
        from_claim=claim, to_claim=other, relation="corroborates", actor=analyst
    )
    membership = analyst.memberships.get(workspace=workspace)
    return {
        "article": article.pk,
        "claim": claim.pk,
        "source": monitor.pk,
        "evidence": evidence.pk,
        "link": link.pk,
        "membership": membership.pk,
    }


# How to fill each workspace URL's pk, by URL name. A new workspace URL must be
# added here, or test_it_knows_every_workspace_url fails.
PK_OF = {
    "workspace_home": None,
    "article_import": None,
    "article_detail": "article",
    "claims_at_offset": "article",
    "claim_new": "article",
    "claim_form_cancel": "article",
    "claim_detail": "claim",
    "claim_edit": "claim",
    "claim_delete": "claim",
    "source_list": None,
    "source_new": None,
    "source_inline_create": None,
    "source_edit": "source",
    "evidence_add": "claim",
    "evidence_remove": "evidence",
    "link_add": "claim",
    "link_remove": "link",
    "claim_transition": "claim",
    "claim_assign": "claim",
    "review_queue": None,
    "my_claims": None,
    "member_list": None,
    "member_update": "membership",
}


def workspace_url_names():
    return sorted(
        p.name
        for p in get_resolver().url_patterns[0].url_patterns
        if "<slug:slug>" in str(p.pattern)
    )


def test_it_knows_every_workspace_url():
    assert workspace_url_names() == sorted(PK_OF)


def _urls(slug, world):
    for name, kind in PK_OF.items():
        args = [slug] + ([world[kind]] if kind else [])
        yield name, reverse(name, args=args)


def test_it_answers_404_to_a_member_of_another_workspace_everywhere(
    client, world, workspace, other_workspace
):
    stranger = make_member(other_workspace, "stranger", "admin")
    client.force_login(stranger)
    for name, url in _urls(workspace.slug, world):
        for method in ("get", "post"):
            # 405 for a method the view never accepts reveals nothing either.
            status = getattr(client, method)(url).status_code
            assert status in (404, 405), (name, method, status)


def test_it_answers_404_for_objects_of_another_workspace_under_ones_own_slug(
    client, world, other_workspace
):
    """Own workspace slug, foreign object ids: still 404, never the object."""
    member = make_member(other_workspace, "member", "admin")
    client.force_login(member)
    for name, url in _urls(other_workspace.slug, world):
        if PK_OF[name] is None:
            continue
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url).status_code in (404, 405), name
    assert Claim.objects.count() == 2
    assert Source.objects.filter(workspace=other_workspace).count() == 0


def test_it_sends_anonymous_visitors_to_log_in(client, world, workspace):
    for name, url in _urls(workspace.slug, world):
        response = client.get(url)
        assert response.status_code == 302, name
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
