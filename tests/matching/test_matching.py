"""Corroboration, conflict, repeat and update matching: the match job,
proposals, confirming and dismissing them in the claim panel, and
independence of corroboration.

Runs on SQLite (the Python fallback) and on PostgreSQL (nearest-neighbour
candidates over GiST indexes); CI runs it on PostgreSQL. The rules
themselves are tested in tests/matching/test_rules.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from claims.models import Claim, ClaimLink
from claims.selectors import claim_for_workspace
from claims.services.articles import article_import
from claims.services.claims import claim_delete, claim_update
from claims.services.evidence import evidence_create
from claims.services.links import claim_link_create
from claims.services.sources import source_create
from jobs.models import Job
from matching.models import LinkProposal
from matching.selectors import independence_summary
from matching.selectors_candidates import find_matches
from matching.services import matches_find_start, proposal_confirm, proposal_dismiss
from tests.jobs_support import jobs_in_process
from tests.matching.world import MARCH_8, TEXT_B, build_world, claim_in, figure
from workspaces.exceptions import NotAllowed

Relation = LinkProposal.Relation


@pytest.fixture(autouse=True)
def _jobs_run_in_process(settings):
    """Jobs run in-process here, even where REDIS_URL is set (CI)."""
    with jobs_in_process(settings):
        yield


@pytest.fixture
def world(workspace, analyst, monitor, ministry, agency):
    world = build_world(workspace, analyst, monitor, ministry, agency)
    # Creating each claim queued its own match job (sent after commit, which a
    # test transaction never reaches). Each test runs matching itself, so
    # those are set aside: cancelled, as if an analyst had stopped them.
    Job.objects.filter(kind=Job.Kind.FIND_MATCHES, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED
    )
    return world


@pytest.fixture
def run_matching(django_capture_on_commit_callbacks, analyst):
    """Start the match job for a claim and run it as a commit would."""

    def run(claim, actor=analyst):
        with django_capture_on_commit_callbacks(execute=True):
            job = matches_find_start(claim=claim, actor=actor)
        job.refresh_from_db()
        return job

    return run


def _proposal(x, y):
    return LinkProposal.objects.get(claim_id=min(x.pk, y.pk), other_id=max(x.pk, y.pk))


def _matched(claim):
    return {other_id: m.relation for other_id, m in find_matches(claim).matches.items()}


# The job and its proposals -----------------------------------------------------


def test_it_runs_the_match_job_after_commit_and_records_proposals(world, run_matching):
    job = run_matching(world.a_toll)
    assert job.kind == Job.Kind.FIND_MATCHES
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.target == world.a_toll
    assert LinkProposal.objects.filter(workspace=world.a.workspace).count() == job.result["created"]
    assert job.result["created"] >= 3


def test_it_proposes_a_repeat_for_the_same_source_relayed_by_another_outlet(world):
    assert _matched(world.a_toll)[world.b_toll.pk] == Relation.REPEAT


def test_it_proposes_a_conflict_for_incompatible_figures_from_another_source(world):
    assert _matched(world.a_toll)[world.c_toll.pk] == Relation.CONFLICT


def test_it_proposes_a_later_total_of_the_same_source_as_an_update(
    world, run_matching, client_for, analyst
):
    run_matching(world.a_toll)
    proposal = _proposal(world.a_toll, world.d_toll)
    assert proposal.relation == Relation.UPDATES
    assert "a later total from the same source updates the earlier one" in proposal.reason
    url = reverse("claim_detail", args=["desk-a", world.d_toll.pk])
    html = client_for(analyst).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<option value="updates" selected>' in html


def test_it_never_calls_a_source_updating_its_own_total_a_conflict(world):
    """1,000+ on 8 March and 1,311 on 10 March from one monitor: an update."""
    assert _matched(world.d_toll)[world.a_toll.pk] == Relation.UPDATES
    assert _matched(world.d_toll)[world.b_toll.pk] == Relation.UPDATES


def test_it_proposes_no_conflict_between_figures_of_different_days(world, analyst):
    """The ministry's 300 counted to 10 March is not comparable with the
    monitor's total of 8 March: a different day, so no conflict."""
    later = claim_in(
        world.d,
        analyst,
        world.ministry,
        "The monitoring group raised its toll to 1,311",
        figures=[figure(300, "people killed")],
    )
    assert world.a_toll.pk not in _matched(later)


def test_every_proposal_says_why(world, run_matching):
    run_matching(world.a_toll)
    run_matching(world.a_shooting)
    reasons = list(LinkProposal.objects.values_list("reason", flat=True))
    assert reasons and all(len(r) > 30 for r in reasons)


def test_it_proposes_corroboration_from_an_independent_source(world):
    matched = _matched(world.d_hospital)
    assert matched[world.a_toll.pk] == Relation.CORROBORATION


def test_it_proposes_a_conflict_for_a_denial(world):
    assert _matched(world.a_shooting)[world.c_denial.pk] == Relation.CONFLICT


def test_it_never_matches_claims_of_the_same_article(world, analyst):
    same_article = claim_in(
        world.b,
        analyst,
        world.paper,
        "More than 1,000 people were killed in two days of fighting on the coast, the "
        "monitoring group told the news agency",
        statement="More than 1,000 people killed on the coast",
        figures=[figure(1000, "people killed", "more_than", as_of=MARCH_8)],
    )
    assert world.a_toll.pk in _matched(same_article)
    assert world.b_toll.pk not in _matched(same_article)


def test_it_proposes_nothing_for_claims_already_linked(world, analyst, run_matching):
    run_matching(world.a_toll)
    claim_link_create(
        from_claim=world.c_toll, to_claim=world.a_toll, relation="contradicts", actor=analyst
    )
    assert world.c_toll.pk not in _matched(world.a_toll)
    run_matching(world.a_toll)
    pair = {world.a_toll.pk, world.c_toll.pk}
    assert not LinkProposal.objects.filter(claim_id__in=pair, other_id__in=pair).exists()


def test_it_never_matches_claims_of_another_workspace(world, other_workspace, outsider):
    source = source_create(workspace=other_workspace, actor=outsider, name="Monitoring Group")
    article = article_import(
        workspace=other_workspace, actor=outsider, title="Elsewhere", body=TEXT_B
    )
    foreign = claim_in(
        article,
        outsider,
        source,
        "More than 1,000 people were killed in two days of fighting on the coast",
        figures=[figure(1000, "people killed", "more_than", place=None)],
    )
    assert foreign.pk not in _matched(world.a_toll)
    assert world.a_toll.pk not in _matched(foreign)


def test_it_creates_no_duplicates_when_run_twice(world, run_matching):
    first = run_matching(world.a_toll)
    pairs = sorted(LinkProposal.objects.values_list("claim_id", "other_id", "relation", "score"))
    events = AuditEvent.objects.count()
    second = run_matching(world.a_toll)
    assert second.status == Job.Status.SUCCEEDED
    assert second.result["created"] == 0
    assert second.result["unchanged"] == first.result["created"]
    assert (
        sorted(LinkProposal.objects.values_list("claim_id", "other_id", "relation", "score"))
        == pairs
    )
    assert AuditEvent.objects.count() == events


def test_it_keeps_one_proposal_per_pair_whichever_claim_runs(world, run_matching):
    run_matching(world.a_toll)
    run_matching(world.b_toll)
    pair = {world.a_toll.pk, world.b_toll.pk}
    assert LinkProposal.objects.filter(claim_id__in=pair, other_id__in=pair).count() == 1


def test_it_updates_the_score_of_a_pending_proposal_on_a_rerun(world, run_matching):
    run_matching(world.a_toll)
    proposal = _proposal(world.a_toll, world.c_toll)
    right = proposal.score
    LinkProposal.objects.filter(pk=proposal.pk).update(score=0.01, relation=Relation.REPEAT)
    job = run_matching(world.a_toll)
    proposal.refresh_from_db()
    assert (proposal.score, proposal.relation) == (right, Relation.CONFLICT)
    assert job.result["updated"] == 1
    assert AuditEvent.objects.filter(
        object_type="linkproposal", object_id=str(proposal.pk), action="update"
    ).exists()


def test_it_never_proposes_a_dismissed_pair_again(world, run_matching, analyst):
    run_matching(world.a_toll)
    proposal = _proposal(world.a_toll, world.c_toll)
    proposal_dismiss(proposal=proposal, actor=analyst)
    run_matching(world.a_toll)
    run_matching(world.c_toll)
    proposal.refresh_from_db()
    assert proposal.status == LinkProposal.Status.DISMISSED
    assert LinkProposal.objects.filter(pk=proposal.pk).count() == 1
    pair = {world.a_toll.pk, world.c_toll.pk}
    assert LinkProposal.objects.filter(claim_id__in=pair, other_id__in=pair).count() == 1


def test_it_removes_a_pending_proposal_that_no_longer_matches(
    world, run_matching, analyst, django_capture_on_commit_callbacks
):
    run_matching(world.c_denial)
    proposal = _proposal(world.a_shooting, world.c_denial)
    # The edit starts its own match job once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        claim_update(
            claim=world.c_denial,
            actor=analyst,
            expected_version=Claim.objects.get(pk=world.c_denial.pk).version,
            quote="The interior ministry said",
            statement="The ministry spoke",
        )
    assert not LinkProposal.objects.filter(pk=proposal.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="linkproposal", object_id=str(proposal.pk), action="delete"
    ).exists()


def test_a_deleted_claim_takes_its_match_job_along(
    world, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = matches_find_start(claim=world.a_toll, actor=analyst)
    claim_delete(claim=world.a_toll, actor=analyst, expected_version=world.a_toll.version)
    assert not Job.objects.filter(pk=job.pk).exists()
    for callback in callbacks:  # the message sent meanwhile finds nothing to run
        callback()
    assert not LinkProposal.objects.filter(claim_id=job.target_id).exists()


def test_it_lets_only_annotators_start_matching(world, reviewer):

    with pytest.raises(NotAllowed):
        matches_find_start(claim=world.a_toll, actor=reviewer)


def test_it_finds_candidates_as_nearest_neighbours(world):
    """PostgreSQL: trigram distance (<->) ordered and limited; elsewhere a Python scan."""
    with CaptureQueriesContext(connection) as queries:
        matched = _matched(world.a_toll)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert world.b_toll.pk in matched
    if connection.vendor == "postgresql":
        assert '"claims_claim"."statement" <-> ' in sql
        assert '"claims_claim"."quote" <-> ' in sql
        assert "LIMIT 40" in sql
    else:
        assert "<->" not in sql


def test_it_has_nearest_neighbour_indexes_only_on_postgresql(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'claims_claim' "
                "AND indexname IN ('claim_ws_statement_knn_idx', 'claim_ws_quote_knn_idx')"
            )
            assert len(cursor.fetchall()) == 2
            cursor.execute(
                "SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm', 'btree_gist')"
                " ORDER BY extname"
            )
            assert cursor.fetchall() == [("btree_gist",), ("pg_trgm",)]
        else:
            indexes = connection.introspection.get_constraints(cursor, "claims_claim")
            assert "claim_ws_statement_knn_idx" not in indexes


# Confirm and dismiss -----------------------------------------------------------


@pytest.fixture
def proposals(world, run_matching):
    run_matching(world.a_toll)
    return world


def _post(client, name, proposal, **data):
    url = reverse(name, args=["desk-a", proposal.pk])
    return client.post(url, data, HTTP_HX_REQUEST="true")


def test_it_confirms_a_proposal_into_a_link(proposals, client_for, analyst):
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    response = _post(
        client_for(analyst),
        "proposal_confirm",
        proposal,
        relation="contradicts",
        claim=proposals.a_toll.pk,
    )
    assert response.status_code == 200
    link = ClaimLink.objects.get()
    assert (link.from_claim, link.to_claim, link.relation) == (
        proposals.a_toll,
        proposals.c_toll,
        "contradicts",
    )
    proposal.refresh_from_db()
    assert proposal.status == LinkProposal.Status.CONFIRMED
    assert proposal.decided_by == analyst
    assert AuditEvent.objects.filter(
        object_type="linkproposal", object_id=str(proposal.pk), action="update"
    ).exists()
    assert AuditEvent.objects.filter(object_type="claimlink", action="create").exists()
    assert f'id="claim-{proposals.a_toll.pk}"' in response.content.decode()


def test_it_links_from_the_claim_whose_panel_the_analyst_uses(proposals, client_for, analyst):
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    _post(
        client_for(analyst),
        "proposal_confirm",
        proposal,
        relation="contradicts",
        claim=proposals.c_toll.pk,
    )
    link = ClaimLink.objects.get()
    assert (link.from_claim, link.to_claim) == (proposals.c_toll, proposals.a_toll)


def test_it_points_an_update_from_the_later_claim(proposals, analyst):
    proposal = _proposal(proposals.a_toll, proposals.d_toll)
    link = proposal_confirm(
        proposal=proposal, actor=analyst, relation="updates", from_claim=proposals.a_toll
    )
    assert (link.from_claim, link.to_claim) == (proposals.d_toll, proposals.a_toll)


def test_it_reuses_a_link_made_by_hand(proposals, analyst):
    claim_link_create(
        from_claim=proposals.a_toll, to_claim=proposals.b_toll, relation="repeats", actor=analyst
    )
    proposal = _proposal(proposals.a_toll, proposals.b_toll)
    proposal_confirm(
        proposal=proposal, actor=analyst, relation="repeats", from_claim=proposals.a_toll
    )
    assert ClaimLink.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == LinkProposal.Status.CONFIRMED


def test_it_dismisses_a_proposal(proposals, client_for, analyst):
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    response = _post(client_for(analyst), "proposal_dismiss", proposal, claim=proposals.a_toll.pk)
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == LinkProposal.Status.DISMISSED
    assert not ClaimLink.objects.exists()
    assert f'id="proposal-{proposal.pk}"' not in response.content.decode()


def test_it_refuses_a_reviewer_confirming_or_dismissing(proposals, client_for, reviewer):
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    client = client_for(reviewer)
    assert _post(client, "proposal_confirm", proposal, relation="contradicts").status_code == 403
    assert _post(client, "proposal_dismiss", proposal).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == LinkProposal.Status.PENDING
    assert not ClaimLink.objects.exists()


def test_an_admin_may_confirm(proposals, client_for, admin_user):
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    response = _post(client_for(admin_user), "proposal_confirm", proposal, relation="contradicts")
    assert response.status_code == 200
    assert ClaimLink.objects.count() == 1


def test_it_hides_proposals_of_another_workspace(proposals, client_for, outsider):
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    client = client_for(outsider)
    assert _post(client, "proposal_confirm", proposal, relation="contradicts").status_code == 404
    assert _post(client, "proposal_dismiss", proposal).status_code == 404
    url = reverse("proposal_confirm", args=["desk-b", proposal.pk])
    assert client.post(url, {"relation": "contradicts"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == LinkProposal.Status.PENDING


def test_it_refuses_to_decide_a_proposal_twice(proposals, client_for, analyst):
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    client = client_for(analyst)
    _post(client, "proposal_dismiss", proposal)
    response = _post(client, "proposal_confirm", proposal, relation="contradicts")
    assert response.status_code == 409
    assert not ClaimLink.objects.exists()


def test_it_refuses_an_unknown_relation(proposals, client_for, analyst):
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    response = _post(client_for(analyst), "proposal_confirm", proposal, relation="loves")
    assert response.status_code == 422
    proposal.refresh_from_db()
    assert proposal.status == LinkProposal.Status.PENDING


def test_the_claim_panel_lists_proposals_with_their_actions(proposals, client_for, analyst):
    url = reverse("claim_detail", args=["desk-a", proposals.a_toll.pk])
    html = client_for(analyst).get(url, HTTP_HX_REQUEST="true").content.decode()
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    assert f'id="proposal-{proposal.pk}"' in html
    assert "Possible conflict" in html
    assert reverse("proposal_confirm", args=["desk-a", proposal.pk]) in html
    assert "Ministry gives lower toll" in html


def test_the_claim_panel_shows_no_actions_to_a_reviewer(proposals, client_for, reviewer):
    url = reverse("claim_detail", args=["desk-a", proposals.a_toll.pk])
    html = client_for(reviewer).get(url, HTTP_HX_REQUEST="true").content.decode()
    proposal = _proposal(proposals.a_toll, proposals.c_toll)
    assert f'id="proposal-{proposal.pk}"' in html
    assert reverse("proposal_confirm", args=["desk-a", proposal.pk]) not in html


def test_it_starts_matching_again_from_the_panel(world, client_for, analyst):
    url = reverse("claim_matches_find", args=["desk-a", world.a_toll.pk])
    response = client_for(analyst).post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Job.objects.of_kind(Job.Kind.FIND_MATCHES).for_target(world.a_toll).exists()
    assert f'id="claim-matches-{world.a_toll.pk}"' in response.content.decode()


def test_it_refuses_a_reviewer_starting_matching(world, client_for, reviewer):
    url = reverse("claim_matches_find", args=["desk-a", world.a_toll.pk])
    assert client_for(reviewer).post(url, HTTP_HX_REQUEST="true").status_code == 403
    assert not Job.objects.filter(kind=Job.Kind.FIND_MATCHES, created_by=reviewer).exists()


def test_it_hides_the_matches_of_another_workspace(world, client_for, outsider):
    client = client_for(outsider)
    for name, method in (("claim_matches", "get"), ("claim_matches_find", "post")):
        url = reverse(name, args=["desk-a", world.a_toll.pk])
        assert getattr(client, method)(url).status_code == 404


# Independence of corroboration ---------------------------------------------------


def _independence(claim):

    return independence_summary(claim_for_workspace(workspace=claim.workspace, pk=claim.pk))


def test_a_relayed_repeat_is_two_reports_from_one_source(world, analyst):
    claim_link_create(
        from_claim=world.b_toll, to_claim=world.a_toll, relation="repeats", actor=analyst
    )
    summary = _independence(world.a_toll)
    assert (summary["reports"], summary["independent_sources"]) == (2, 1)


def test_an_independent_corroboration_is_a_second_source(world, analyst):
    claim_link_create(
        from_claim=world.d_hospital,
        to_claim=world.a_toll,
        relation="corroborates",
        actor=analyst,
    )
    summary = _independence(world.a_toll)
    assert (summary["reports"], summary["independent_sources"]) == (2, 2)


def test_evidence_tracing_back_to_the_same_origin_counts_once(world, analyst):
    for publisher in (world.paper, world.hospital):
        evidence_create(
            claim=world.c_toll,
            actor=analyst,
            stance="corroborates",
            title=f"Agency copy in {publisher.name}",
            publisher=publisher,
            origin=world.agency,
        )
    summary = _independence(world.c_toll)
    assert (summary["reports"], summary["independent_sources"]) == (3, 2)
    assert [len(g.reports) for g in summary["groups"]] == [1, 2]


def test_evidence_from_a_relay_of_the_claim_is_not_independent(world, analyst):
    evidence_create(
        claim=world.b_toll,
        actor=analyst,
        stance="corroborates",
        title="The agency's wire",
        publisher=world.agency,
    )
    summary = _independence(world.b_toll)
    assert (summary["reports"], summary["independent_sources"]) == (2, 1)


def test_contradicting_reports_are_counted_apart(world, analyst):
    claim_link_create(
        from_claim=world.c_toll, to_claim=world.a_toll, relation="contradicts", actor=analyst
    )
    summary = _independence(world.a_toll)
    assert (summary["reports"], summary["independent_sources"]) == (1, 1)
    assert summary["contradicting"]["reports"] == 1


def test_the_claim_panel_says_how_many_sources_are_independent(world, client_for, analyst):
    claim_link_create(
        from_claim=world.b_toll, to_claim=world.a_toll, relation="repeats", actor=analyst
    )
    url = reverse("claim_detail", args=["desk-a", world.a_toll.pk])
    html = client_for(analyst).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "2 reports, 1 independent source" in html


def test_the_claim_panel_query_count_does_not_grow_with_matches(
    world, client_for, analyst, run_matching
):
    def link(other):
        claim_link_create(
            from_claim=other, to_claim=world.a_toll, relation="repeats", actor=analyst
        )

    def evidence(publisher):
        evidence_create(
            claim=world.a_toll,
            actor=analyst,
            stance="corroborates",
            title="copy",
            publisher=publisher,
            origin=world.agency,
        )

    client = client_for(analyst)
    url = reverse("claim_detail", args=["desk-a", world.a_toll.pk])
    run_matching(world.b_toll)
    link(world.b_toll)
    evidence(world.paper)
    with CaptureQueriesContext(connection) as few:
        client.get(url, HTTP_HX_REQUEST="true")
    run_matching(world.a_toll)
    link(world.d_hospital)
    link(world.d_toll)
    evidence(world.hospital)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert html.count('class="proposal ') >= 2
    assert "6 reports, 3 independent sources" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_matches_section_polls_while_the_job_runs(world, client_for, analyst):
    Job.objects.create(
        workspace=world.a.workspace,
        kind=Job.Kind.FIND_MATCHES,
        target=world.a_toll,
    )
    url = reverse("claim_matches", args=["desk-a", world.a_toll.pk])
    html = client_for(analyst).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in html
