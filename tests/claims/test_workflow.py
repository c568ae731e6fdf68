"""The verification workflow: every transition per role, four eyes, evidence
rules, approvals voided by later changes, and no lost updates."""

import threading

import pytest
from django.db import close_old_connections, connection

from audit.models import AuditEvent
from claims.exceptions import StaleVersion, TransitionNotAllowed
from claims.models import Claim, Review
from claims.services.claims import claim_update
from claims.services.evidence import evidence_create, evidence_delete, evidence_update
from claims.services.workflow import TRANSITIONS, claim_assign, claim_transition, transitions_for
from tests.conftest import make_member
from workspaces.exceptions import NotAllowed

S = Claim.Status


def _move(claim, name, actor, **kwargs):
    claim.refresh_from_db()
    return claim_transition(
        claim=claim, name=name, actor=actor, expected_version=claim.version, **kwargs
    )


def _set_status(claim, status, proposed_by=None):
    Claim.objects.filter(pk=claim.pk).update(status=status, proposed_by=proposed_by)
    claim.refresh_from_db()


@pytest.fixture
def evidence(claim, analyst, agency):
    return evidence_create(
        claim=claim, actor=analyst, stance="corroborates", title="Agency tally", publisher=agency
    )


@pytest.fixture
def second_analyst(workspace):
    return make_member(workspace, "bob", "analyst")


# Expected outcome of each transition from each status, for each role:
# the target status, or the exception raised.
ROLES = ("analyst", "reviewer", "admin")


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("role", ROLES)
def test_the_state_machine_allows_exactly_its_transitions(
    name, status, role, claim, evidence, workspace, second_analyst
):
    actor = make_member(workspace, f"actor-{role}", role)
    _set_status(claim, status, proposed_by=second_analyst)
    transition = TRANSITIONS[name]
    kwargs = {
        "verdict": "corroborated",
        "rationale": "Two sources agree.",
        "comment": "Please add the source.",
        "reason": "Out of scope.",
    }
    if role not in transition.roles:
        with pytest.raises(NotAllowed):
            _move(claim, name, actor, **kwargs)
    elif status not in transition.sources:
        with pytest.raises(TransitionNotAllowed):
            _move(claim, name, actor, **kwargs)
    else:
        moved = _move(claim, name, actor, **kwargs)
        assert moved.status == transition.target
        assert AuditEvent.objects.filter(
            object_type="claim", action="transition", changes__transition=[None, name]
        ).exists()
        return
    claim.refresh_from_db()
    assert claim.status == status  # refused: nothing changed
    assert claim.version == 1


def test_a_reviewer_never_approves_their_own_proposal(claim, evidence, admin_user):
    """Four eyes, admins included: an admin who proposed cannot approve."""
    _move(claim, "propose", admin_user, verdict="corroborated", rationale="Agency tally agrees.")
    with pytest.raises(TransitionNotAllowed, match="four-eyes"):
        _move(claim, "approve", admin_user)
    with pytest.raises(TransitionNotAllowed, match="four-eyes"):
        _move(claim, "request_changes", admin_user, comment="x")
    claim.refresh_from_db()
    assert claim.status == S.PENDING_REVIEW


def test_the_whole_loop_records_reviews_and_history(claim, evidence, analyst, reviewer):
    _move(claim, "start", analyst)
    _move(
        claim,
        "propose",
        analyst,
        verdict="partly_corroborated",
        rationale="Only the total matches.",
    )
    _move(claim, "request_changes", reviewer, comment="Which outlet?")
    _move(claim, "propose", analyst, verdict="corroborated", rationale="Agency and monitor agree.")
    approved = _move(claim, "approve", reviewer)
    assert (approved.status, approved.verdict, approved.approved_by, approved.proposed_by) == (
        S.APPROVED,
        "corroborated",
        reviewer,
        analyst,
    )
    assert approved.assignee == analyst
    assert list(Review.objects.filter(claim=claim).values_list("decision", flat=True)) == [
        "changes_requested",
        "approved",
    ]
    reopened = _move(claim, "reopen", analyst)
    assert reopened.status == S.IN_PROGRESS
    assert Review.objects.filter(
        claim=claim, decision="approved"
    ).exists()  # approved history stays


def test_a_verdict_needs_a_rationale(claim, evidence, analyst):
    with pytest.raises(TransitionNotAllowed, match="rationale"):
        _move(claim, "propose", analyst, verdict="corroborated", rationale="  ")


def test_a_verdict_other_than_unverified_needs_evidence(claim, analyst):
    with pytest.raises(TransitionNotAllowed, match="evidence"):
        _move(claim, "propose", analyst, verdict="contested", rationale="Sources disagree.")
    assert (
        _move(
            claim, "propose", analyst, verdict="unverified", rationale="Nothing found yet."
        ).status
        == S.PENDING_REVIEW
    )


def test_changes_requested_need_a_comment_and_dismissal_a_reason(
    claim, evidence, analyst, reviewer
):
    _move(claim, "propose", analyst, verdict="corroborated", rationale="Agrees.")
    with pytest.raises(TransitionNotAllowed, match="comment"):
        _move(claim, "request_changes", reviewer)
    _move(claim, "withdraw", analyst)
    with pytest.raises(TransitionNotAllowed, match="reason"):
        _move(claim, "dismiss", analyst)


def test_an_unknown_transition_is_refused(claim, analyst):
    with pytest.raises(TransitionNotAllowed):
        _move(claim, "publish", analyst)


def test_it_offers_only_the_transitions_a_user_may_make(claim, evidence, analyst, reviewer):
    _move(claim, "propose", analyst, verdict="corroborated", rationale="Agrees.")
    claim.refresh_from_db()
    assert [t.name for t in transitions_for(claim=claim, role="reviewer", user=reviewer)] == [
        "approve",
        "request_changes",
    ]
    assert [t.name for t in transitions_for(claim=claim, role="admin", user=analyst)] == [
        "withdraw"
    ]


@pytest.fixture
def approved(claim, evidence, analyst, reviewer):
    _move(claim, "propose", analyst, verdict="corroborated", rationale="Agrees.")
    return _move(claim, "approve", reviewer)


def test_editing_the_quote_after_approval_voids_it(approved, analyst):
    updated = claim_update(
        claim=approved,
        actor=analyst,
        expected_version=approved.version,
        quote="1,000 people",
        start=None,
        end=None,
    )
    assert updated.status == S.PENDING_REVIEW
    assert updated.approved_by is None
    assert Review.objects.get(decision="approved").voided_at is not None
    assert AuditEvent.objects.filter(changes__transition=[None, "approval_voided"]).exists()


def test_editing_the_statement_only_keeps_the_approval(approved, analyst):
    updated = claim_update(
        claim=approved, actor=analyst, expected_version=approved.version, statement="Reworded"
    )
    assert updated.status == S.APPROVED


def test_adding_evidence_after_approval_voids_it(approved, analyst):
    evidence_create(claim=approved, actor=analyst, stance="contradicts", title="A lower count")
    approved.refresh_from_db()
    assert approved.status == S.PENDING_REVIEW


def test_removing_evidence_after_approval_voids_it(approved, analyst, evidence):
    evidence_delete(evidence=evidence, actor=analyst, expected_version=evidence.version)
    approved.refresh_from_db()
    assert approved.status == S.PENDING_REVIEW


def test_a_stale_evidence_edit_is_refused(evidence, analyst):
    evidence_update(evidence=evidence, actor=analyst, expected_version=1, note="first")
    with pytest.raises(StaleVersion):
        evidence_update(evidence=evidence, actor=analyst, expected_version=1, note="second")
    evidence.refresh_from_db()
    assert evidence.note == "first"


def test_a_stale_transition_is_refused(claim, evidence, analyst, reviewer):
    _move(claim, "propose", analyst, verdict="corroborated", rationale="Agrees.")
    claim.refresh_from_db()
    version = claim.version
    claim_transition(claim=claim, name="approve", actor=reviewer, expected_version=version)
    other_reviewer = make_member(claim.workspace, "rex", "reviewer")
    with pytest.raises(StaleVersion):
        claim_transition(
            claim=claim,
            name="request_changes",
            actor=other_reviewer,
            expected_version=version,
            comment="no",
        )
    assert Review.objects.filter(claim=claim).count() == 1


def test_it_assigns_claims_only_to_annotators(claim, analyst, reviewer):
    assigned = claim_assign(claim=claim, actor=reviewer, assignee=analyst, expected_version=1)
    assert assigned.assignee == analyst
    with pytest.raises(TransitionNotAllowed):
        claim_assign(
            claim=assigned, actor=analyst, assignee=reviewer, expected_version=assigned.version
        )


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_one_wins(workspace, analyst, reviewer, claim, evidence):
    """Two threads, two database connections, the same version: exactly one approval."""
    _move(claim, "propose", analyst, verdict="corroborated", rationale="Agrees.")
    claim.refresh_from_db()
    second = make_member(workspace, "rex", "reviewer")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait(timeout=10)
            claim_transition(
                claim=claim, name="approve", actor=user, expected_version=claim.version
            )
            outcomes.append("approved")
        except StaleVersion:
            outcomes.append("stale")
        except Exception as exc:  # SQLite may report the lock instead of waiting
            outcomes.append(f"error:{type(exc).__name__}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (reviewer, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes.count("approved") == 1, outcomes
    assert Review.objects.filter(claim=claim).count() == 1
    claim.refresh_from_db()
    assert claim.status == S.APPROVED
