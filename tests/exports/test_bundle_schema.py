"""F11: a bundle is checked whole against its declared schema before anything
is written; every problem is reported with its path; imported reviews keep
the four-eyes rule; a failed import leaves nothing behind."""

import copy
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from claims.models import Claim, Source
from exports.bundle_checks import bundle_problems, bundle_schema, schema_path
from exports.services.importing import bundle_import
from tests.conftest import make_member
from tests.exports.world import export_json
from workspaces.models import Workspace


@pytest.fixture
def bundle(world, admin_user):
    return export_json(
        workspace=world.workspace, actor=admin_user, format="json", include_real_names=True
    )


@pytest.fixture
def target(db):
    ws = Workspace.objects.create(slug="restored", name="Restored")
    return ws, make_member(ws, "restorer", "admin")


def _refused(bundle, target, *messages):
    ws, admin = target
    with pytest.raises(ValidationError) as caught:
        bundle_import(workspace=ws, actor=admin, data=bundle)
    text = "\n".join(caught.value.messages)
    for message in messages:
        assert message in text, text
    assert not Source.objects.filter(workspace=ws).exists()
    assert not Claim.objects.filter(workspace=ws).exists()
    assert not AuditEvent.objects.filter(workspace=ws).exists()
    return text


def test_the_schema_is_published_as_a_static_file(client_for, admin_user, workspace):
    assert schema_path().is_file()
    schema = bundle_schema()
    assert schema["$schema"].startswith("https://json-schema.org/draft/2020-12")
    found = finders.find("schemas/claims-workbench-bundle-v1.schema.json")
    assert found and json.loads(Path(found).read_text())["title"] == schema["title"]


def test_a_good_bundle_has_no_problems(bundle):
    assert bundle_problems(bundle) == []


def test_the_schemas_choices_match_the_models():
    defs = bundle_schema()["$defs"]
    assert defs["claim"]["properties"]["status"]["enum"] == Claim.Status.values
    assert defs["source"]["properties"]["kind"]["enum"] == Source.Kind.values
    assert defs["audit_event"]["properties"]["action"]["enum"] == AuditEvent.Action.values


def test_f11_integer_aliases_are_refused_before_they_break_exports(bundle, target):
    witness = next(s for s in bundle["sources"] if s["protected"])
    witness["aliases"] = [1, 2]
    _refused(bundle, target, "/sources/", "/aliases/0: expected text, found an integer")


def test_f11_every_problem_is_reported_with_its_path(bundle, target):
    bundle["claims"][0]["start"] = -1
    bundle["claims"][0]["kind"] = 7
    bundle["articles"][0]["title"] = "x" * 301
    bundle["claims"][0]["evidence"][0]["url"] = None
    text = _refused(
        bundle,
        target,
        "/claims/0/start: -1 must be at least 0",
        "/claims/0/kind: 7 is not one of",
        "/articles/0/title: longer than 300 characters (301)",
        "/claims/0/evidence/0/url: expected text, found null",
    )
    assert "x" * 100 not in text  # values are not echoed whole


def test_f11_usernames_are_validated(bundle, target):
    bundle["claims"][0]["created_by"] = "rm -rf /"
    bundle["sources"][0]["created_by"] = "a" * 151
    _refused(
        bundle,
        target,
        "/claims/0/created_by: 'rm -rf /' is not a valid username",
        "/sources/0/created_by: longer than 150 characters",
    )
    assert not get_user_model().objects.filter(username="rm -rf /").exists()


def test_f11_ids_out_of_range_are_named(bundle, target):
    bundle["links"][0]["to_claim"] = 2**70
    _refused(bundle, target, "/links/0/to_claim: 1180591620717411303424 must be at most")


def test_f11_references_outside_the_bundle_are_named(bundle, target):
    bundle["claims"][0]["intermediaries"] = [424242]
    bundle["snapshots"][0]["evidence"] = 424243
    _refused(
        bundle,
        target,
        "/claims/0/intermediaries/0: source 424242 is not in the bundle",
        "/snapshots/0/evidence: evidence 424243 is not in the bundle",
    )


def test_f11_an_imported_claim_cannot_be_approved_by_its_proposer(bundle, target):
    approved = next(c for c in bundle["claims"] if c["status"] == "approved")
    index = bundle["claims"].index(approved)
    approved["approved_by"] = approved["proposed_by"]
    approved["reviews"][0]["reviewer"] = approved["proposed_by"]
    _refused(
        bundle,
        target,
        f"/claims/{index}/approved_by: ana approved their own proposal (four-eyes rule)",
        f"/claims/{index}/reviews/0/reviewer: ana approved their own proposal",
    )


def test_an_imported_approval_by_who_added_evidence_after_the_proposal_is_refused(bundle, target):
    approved = next(c for c in bundle["claims"] if c["status"] == "approved")
    index = bundle["claims"].index(approved)
    approved["proposed_at"] = "2025-01-01T00:00:00+00:00"
    approved["evidence"][0]["added_by"] = approved["approved_by"]
    approved["evidence"][0]["added_at"] = "2025-01-02T00:00:00+00:00"
    _refused(
        bundle,
        target,
        f"/claims/{index}/approved_by: rita approved the claim after adding or changing its "
        f"evidence /claims/{index}/evidence/0",
    )


def test_a_bundle_that_is_not_an_object_is_refused(target):
    ws, admin = target
    for data in ([], "bundle", 3):
        with pytest.raises(ValidationError):
            bundle_import(workspace=ws, actor=admin, data=copy.deepcopy(data))
