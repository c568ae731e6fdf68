"""The workflow in the browser's terms: htmx answers, 409s, the queue, my claims, members."""

import pytest
from django.urls import reverse

from claims.models import Evidence
from claims.services.claims import claim_create
from claims.services.evidence import evidence_create
from claims.services.workflow import claim_transition
from tests.conftest import make_member
from workspaces.models import Membership


@pytest.fixture
def proposed(claim, analyst):
    evidence_create(claim=claim, actor=analyst, stance="corroborates", title="Agency tally")
    return claim_transition(
        claim=claim,
        name="propose",
        actor=analyst,
        expected_version=claim.version,
        verdict="corroborated",
        rationale="Two reports agree.",
    )


def _post_transition(client, workspace, claim, **data):
    return client.post(
        reverse("claim_transition", args=[workspace.slug, claim.pk]),
        {"version": claim.version, **data},
        HTTP_HX_REQUEST="true",
    )


def test_it_adds_evidence_and_shows_it_grouped_by_stance(
    client_for, analyst, workspace, claim, agency
):
    response = client_for(analyst).post(
        reverse("evidence_add", args=[workspace.slug, claim.pk]),
        {
            "stance": "contradicts",
            "kind": "news_report",
            "title": "Lower count",
            "publisher": agency.pk,
            "url": "",
            "excerpt": "",
            "note": "",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Evidence.objects.get().stance == "contradicts"
    assert "Contradicts: 1" in html and "Lower count" in html


def test_it_shows_evidence_form_errors(client_for, analyst, workspace, claim):
    response = client_for(analyst).post(
        reverse("evidence_add", args=[workspace.slug, claim.pk]),
        {"stance": "nonsense", "kind": "other", "title": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert not Evidence.objects.exists()


def test_it_proposes_a_verdict_from_the_panel(client_for, analyst, workspace, claim):
    evidence_create(claim=claim, actor=analyst, stance="corroborates", title="Agency tally")
    claim.refresh_from_db()
    response = _post_transition(
        client_for(analyst),
        workspace,
        claim,
        name="propose",
        verdict="corroborated",
        rationale="Agrees.",
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == "pending_review"


def test_it_answers_409_to_an_impossible_transition(client_for, analyst, workspace, claim):
    response = _post_transition(client_for(analyst), workspace, claim, name="withdraw")
    assert response.status_code == 409
    assert "cannot be moved" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "new" and claim.version == 1


def test_it_answers_409_when_approving_ones_own_verdict(client_for, workspace, claim, admin_user):
    evidence_create(claim=claim, actor=admin_user, stance="corroborates", title="Tally")
    claim.refresh_from_db()
    claim = claim_transition(
        claim=claim,
        name="propose",
        actor=admin_user,
        expected_version=claim.version,
        verdict="corroborated",
        rationale="Agrees.",
    )
    response = _post_transition(client_for(admin_user), workspace, claim, name="approve")
    assert response.status_code == 409
    assert "four-eyes" in response.content.decode()


def test_it_answers_409_to_a_stale_approval(client_for, workspace, proposed, reviewer):
    second = make_member(workspace, "rex", "reviewer")
    claim_transition(
        claim=proposed, name="approve", actor=second, expected_version=proposed.version
    )
    response = _post_transition(client_for(reviewer), workspace, proposed, name="approve")
    assert response.status_code == 409
    assert "Someone saved this claim" in response.content.decode()


def test_the_review_queue_lists_pending_claims_and_approves_in_place(
    client_for, workspace, proposed, reviewer, django_assert_num_queries
):
    client = client_for(reviewer)
    url = reverse("review_queue", args=[workspace.slug])
    client.get(url)
    # session, user, workspace, membership, a page of claims, their evidence
    # counted by stance (the article and source filters are autocomplete)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert "Two reports agree." in response.content.decode()
    response = _post_transition(client, workspace, proposed, name="approve", **{"from": "queue"})
    assert response.status_code == 200
    assert "is now <strong>approved</strong>" in response.content.decode()


def test_the_review_queue_filters_by_kind(client_for, workspace, proposed, reviewer):
    response = client_for(reviewer).get(
        reverse("review_queue", args=[workspace.slug]), {"kind": "testimony"}
    )
    assert "Two reports agree." not in response.content.decode()


def test_my_claims_lists_what_waits_for_me(client_for, analyst, workspace, claim):
    client = client_for(analyst)
    client.post(
        reverse("claim_assign", args=[workspace.slug, claim.pk]),
        {"version": claim.version},
        HTTP_HX_REQUEST="true",
    )
    response = client.get(reverse("my_claims", args=[workspace.slug]))
    assert f"#{claim.pk}" in response.content.decode()


def test_an_admin_manages_members(client_for, workspace, admin_user, analyst):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="newbie", password="x-very-long-password")
    client = client_for(admin_user)
    response = client.post(
        reverse("member_list", args=[workspace.slug]), {"username": "newbie", "role": "reviewer"}
    )
    assert response.status_code == 302
    newbie = Membership.objects.get(user__username="newbie")
    assert newbie.role == "reviewer"
    client.post(
        reverse("member_update", args=[workspace.slug, newbie.pk]),
        {"action": "role", "role": "analyst"},
    )
    newbie.refresh_from_db()
    assert newbie.role == "analyst"
    client.post(reverse("member_update", args=[workspace.slug, newbie.pk]), {"action": "remove"})
    assert not Membership.objects.filter(pk=newbie.pk).exists()


def test_the_last_admin_cannot_be_removed(client_for, workspace, admin_user):
    membership = admin_user.memberships.get()
    client_for(admin_user).post(
        reverse("member_update", args=[workspace.slug, membership.pk]), {"action": "remove"}
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_analyst_cannot_manage_members(client_for, workspace, analyst):
    assert client_for(analyst).get(reverse("member_list", args=[workspace.slug])).status_code == 403


def test_the_claim_panel_runs_a_fixed_number_of_queries(client_for, analyst, workspace, claim):
    client = client_for(analyst)
    url = reverse("claim_detail", args=[workspace.slug, claim.pk])
    evidence_create(
        claim=claim, actor=analyst, stance="corroborates", title="First", url="https://example.org/"
    )
    client.get(url, HTTP_HX_REQUEST="true")
    with_one = count_for(client, url)
    for i in range(5):
        evidence_create(
            claim=claim,
            actor=analyst,
            stance="context",
            title=f"Item {i}",
            url=f"https://example.org/{i}",
        )
    assert count_for(client, url) == with_one


def test_the_review_queue_runs_a_fixed_number_of_queries(
    client_for, analyst, workspace, proposed, reviewer, monitor
):

    client = client_for(reviewer)
    url = reverse("review_queue", args=[workspace.slug])
    client.get(url)
    with_one = count_for(client, url)
    for quote in ("745 civilians", "individual actions", "close range"):
        extra = claim_create(article=proposed.article, actor=analyst, source=monitor, quote=quote)
        claim_transition(
            claim=extra,
            name="propose",
            actor=analyst,
            expected_version=1,
            verdict="unverified",
            rationale="None yet.",
        )
    assert count_for(client, url) == with_one


def count_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    return len(queries)


def test_it_edits_evidence_in_place(client_for, analyst, workspace, claim):
    evidence = evidence_create(
        claim=claim, actor=analyst, stance="corroborates", title="Draft title"
    )
    client = client_for(analyst)
    url = reverse("evidence_edit", args=[workspace.slug, evidence.pk])
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Draft title" in form and 'name="version" value="1"' in form
    response = client.post(
        url,
        {"stance": "context", "kind": "dataset", "title": "Final title", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    evidence.refresh_from_db()
    assert (evidence.stance, evidence.title, evidence.version) == ("context", "Final title", 2)


def test_it_refuses_a_stale_evidence_edit_with_409(client_for, analyst, workspace, claim):
    evidence = evidence_create(claim=claim, actor=analyst, stance="corroborates", title="Original")
    client = client_for(analyst)
    url = reverse("evidence_edit", args=[workspace.slug, evidence.pk])
    client.post(
        url,
        {"stance": "corroborates", "kind": "other", "title": "First save", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    response = client.post(
        url,
        {"stance": "contradicts", "kind": "other", "title": "Second save", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "Second save" in response.content.decode()  # the analyst's input is kept
    evidence.refresh_from_db()
    assert evidence.title == "First save"


def test_a_reviewer_assigns_a_claim_to_an_analyst(client_for, reviewer, analyst, workspace, claim):
    response = client_for(reviewer).post(
        reverse("claim_assign", args=[workspace.slug, claim.pk]),
        {"version": claim.version, "assignee": analyst.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.assignee == analyst
