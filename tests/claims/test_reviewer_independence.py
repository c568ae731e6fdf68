"""Reviewer independence (issue 12, item 3 and "also seen"): whoever added,
changed or removed evidence on a claim after it was proposed cannot approve
it, admins included, in the web UI as in the services."""

import pytest
from django.urls import reverse

from claims.exceptions import TransitionNotAllowed
from claims.models import Claim
from claims.services.evidence import evidence_create, evidence_delete, evidence_update
from claims.services.workflow import claim_transition, transitions_for

S = Claim.Status


def _move(claim, name, actor, **kwargs):
    claim.refresh_from_db()
    return claim_transition(
        claim=claim, name=name, actor=actor, expected_version=claim.version, **kwargs
    )


@pytest.fixture
def proposed(claim, analyst, agency):
    evidence_create(
        claim=claim, actor=analyst, stance="corroborates", title="Agency tally", publisher=agency
    )
    _move(claim, "propose", analyst, verdict="corroborated", rationale="The tally agrees.")
    claim.refresh_from_db()
    return claim


def test_an_admin_who_added_evidence_to_a_pending_claim_cannot_approve_it(
    proposed, admin_user, client_for
):
    evidence_create(claim=proposed, actor=admin_user, stance="context", title="My own find")
    proposed.refresh_from_db()
    assert "approve" not in [
        t.name for t in transitions_for(claim=proposed, role="admin", user=admin_user)
    ]
    with pytest.raises(TransitionNotAllowed, match="added or changed evidence"):
        _move(proposed, "approve", admin_user)
    response = client_for(admin_user).post(
        reverse("claim_transition", args=[proposed.workspace.slug, proposed.pk]),
        {"name": "approve", "version": proposed.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "added or changed evidence" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == S.PENDING_REVIEW
    # Requesting changes stays open to them; another reviewer may approve.
    _move(proposed, "request_changes", admin_user, comment="Please weigh my find.")


def test_changing_or_removing_evidence_after_the_proposal_counts_too(
    proposed, reviewer, admin_user
):
    evidence = proposed.evidence.get()
    # A reviewer cannot edit evidence (role), so an admin does both here.
    evidence_update(evidence=evidence, actor=admin_user, expected_version=1, note="checked")
    with pytest.raises(TransitionNotAllowed, match="added or changed evidence"):
        _move(proposed, "approve", admin_user)
    _move(proposed, "approve", reviewer)


def test_removing_evidence_after_the_proposal_counts(proposed, admin_user, analyst):
    extra = evidence_create(claim=proposed, actor=analyst, stance="context", title="Extra")
    evidence_delete(evidence=extra, actor=admin_user, expected_version=1)
    with pytest.raises(TransitionNotAllowed, match="added or changed evidence"):
        _move(proposed, "approve", admin_user)


def test_evidence_added_before_the_proposal_does_not_count(claim, admin_user, analyst, agency):
    evidence_create(claim=claim, actor=admin_user, stance="corroborates", title="Found earlier")
    _move(claim, "propose", analyst, verdict="corroborated", rationale="Found earlier agrees.")
    _move(claim, "approve", admin_user)
    claim.refresh_from_db()
    assert claim.status == S.APPROVED
