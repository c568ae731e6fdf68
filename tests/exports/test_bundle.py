"""JSON bundle: the whole graph, importable into an empty workspace, and a
round trip that loses nothing."""

import base64
import copy
import hashlib
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Snapshot
from audit.models import AuditEvent
from audit.selectors import audit_verify_chain
from claims.models import Article, Claim, Evidence, Source
from exports.formats.bundle import BUNDLE_VERSION
from exports.services.importing import bundle_import, bundle_read
from tests.conftest import make_member
from tests.exports.world import WARC_BYTES, export_bytes, export_json
from workspaces.exceptions import NotAllowed
from workspaces.models import Membership, Workspace

# Header fields that describe the export act itself, not the data.
EXPORT_ACT_FIELDS = ("exported_at", "exported_by", "workspace", "scope_label", "audit_events_up_to")


@pytest.fixture
def target(db):
    """An empty workspace with an admin to import into."""
    ws = Workspace.objects.create(slug="desk-c", name="Desk C")
    admin = make_member(ws, "carla", Membership.Role.ADMIN)
    return ws, admin


def _bundle(world, admin_user):
    return export_json(
        workspace=world.workspace, actor=admin_user, format="json", include_real_names=True
    )


def _normalised(bundle: dict) -> dict:
    """Replace object ids by their position, so two bundles of the same data
    compare equal whatever ids each database handed out."""
    data = copy.deepcopy(bundle)
    maps = {}
    for name in ("places", "vocabulary", "sources", "articles", "claims", "links", "snapshots"):
        maps[name] = {item["id"]: f"{name}#{i}" for i, item in enumerate(data[name])}
    figures = [f for c in data["claims"] for f in c["figures"]]
    maps["figures"] = {f["id"]: f"figure#{i}" for i, f in enumerate(figures)}
    for place in data["places"]:
        place["id"], place["parent"] = (
            maps["places"][place["id"]],
            maps["places"].get(place["parent"]),
        )
    for item in data["vocabulary"]:
        item["id"] = maps["vocabulary"][item["id"]]
    for f in figures:
        f["id"], f["place"], f["part_of"] = (
            maps["figures"][f["id"]],
            maps["places"].get(f["place"]),
            maps["figures"].get(f["part_of"]),
        )
    evidence = [e for c in data["claims"] for e in c["evidence"]]
    maps["evidence"] = {e["id"]: f"evidence#{i}" for i, e in enumerate(evidence)}
    reviews = [r for c in data["claims"] for r in c["reviews"]]
    maps["reviews"] = {r["id"]: f"review#{i}" for i, r in enumerate(reviews)}
    src, art, clm, evd = maps["sources"], maps["articles"], maps["claims"], maps["evidence"]
    for name in ("sources", "articles", "links", "snapshots"):
        for item in data[name]:
            item["id"] = maps[name][item["id"]]
    for article in data["articles"]:
        article["outlet"] = src.get(article["outlet"])
        article["previous_version"] = art.get(article["previous_version"])
    for claim in data["claims"]:
        claim["id"], claim["article"], claim["source"] = (
            clm[claim["id"]],
            art[claim["article"]],
            src[claim["source"]],
        )
        claim["intermediaries"] = [src[i] for i in claim["intermediaries"]]
        for e in claim["evidence"]:
            e["id"], e["publisher"], e["origin"] = (
                evd[e["id"]],
                src.get(e["publisher"]),
                src.get(e["origin"]),
            )
        for r in claim["reviews"]:
            r["id"] = maps["reviews"][r["id"]]
    for link in data["links"]:
        link["from_claim"], link["to_claim"] = clm[link["from_claim"]], clm[link["to_claim"]]
    for snapshot in data["snapshots"]:
        snapshot["evidence"], snapshot["article"] = (
            evd.get(snapshot["evidence"]),
            art.get(snapshot["article"]),
        )
    for name in EXPORT_ACT_FIELDS:
        data.pop(name)
    return data


def test_it_carries_the_whole_graph_with_a_version(world, admin_user):
    bundle = _bundle(world, admin_user)
    assert bundle["version"] == BUNDLE_VERSION
    assert {s["name"] for s in bundle["sources"]} >= {"Monitoring Group", "Ali Sheha"}
    figure = next(c for c in bundle["claims"] if c["id"] == world.figure_claim.pk)
    assert figure["intermediaries"] == [world.agency.pk]
    assert figure["figures"][0]["counted"] == "people killed"
    assert {e["stance"] for e in figure["evidence"]} == {"corroborates", "contradicts"}
    assert figure["reviews"][0]["reviewer"] == "rita"
    assert bundle["links"][0]["relation"] == "corroborates"
    assert bundle["snapshots"][0]["sha256"] == "ab" * 32
    # The whole chain, up to the export's own event, which is recorded after the file.
    last = AuditEvent.objects.filter(workspace=world.workspace).last()
    assert last.action == "export"
    assert [e["sequence"] for e in bundle["audit_events"]] == list(range(1, last.sequence))
    assert bundle["counts"]["claims"] == 3


def test_it_round_trips_without_losing_anything(world, admin_user, target):
    first = _bundle(world, admin_user)
    ws, admin = target
    bundle_import(workspace=ws, actor=admin, data=first)
    second = export_json(workspace=ws, actor=admin, format="json", include_real_names=True)
    imported_history = [e for e in second["audit_events"] if e["workspace"] != ws.pk]
    own_events = [e for e in second["audit_events"] if e["workspace"] == ws.pk]
    assert imported_history == first["audit_events"]
    assert [e["object_type"] for e in own_events] == ["workspace"]  # the import itself
    for bundle in (first, second):
        bundle["audit_events"] = []
        bundle["counts"].pop("audit_events")
    assert _normalised(second) == _normalised(first)


def test_it_keeps_the_imported_workspaces_chain_verifiable(world, admin_user, target):
    ws, admin = target
    result = bundle_import(workspace=ws, actor=admin, data=_bundle(world, admin_user))
    report = audit_verify_chain(ws)
    assert report.ok, report.problem
    assert report.events_checked == result.history_events + 1
    assert result.history_intact


def test_it_shows_the_original_history_on_the_imported_claim(world, admin_user, target):
    ws, admin = target
    bundle_import(workspace=ws, actor=admin, data=_bundle(world, admin_user))
    claim = Claim.objects.get(workspace=ws, statement__startswith="=HYPERLINK")
    events = AuditEvent.objects.filter(workspace=ws, object_type="claim", object_id=str(claim.pk))
    originals = [e.changes["imported_history_event"] for e in events]
    assert [o["action"] for o in originals] == ["create", "transition"]
    assert originals[0]["object_id"] == str(world.figure_claim.pk)


def test_the_report_of_an_imported_workspace_shows_the_original_history(world, admin_user, target):
    ws, admin = target
    bundle_import(workspace=ws, actor=admin, data=_bundle(world, admin_user))
    html = export_bytes(workspace=ws, actor=admin, format="html").decode()
    assert "create (imported history, original #" in html
    assert "transition (imported history, original #" in html


def test_it_refuses_a_workspace_that_is_not_empty(world, admin_user):
    bundle = _bundle(world, admin_user)
    with pytest.raises(ValidationError, match="not empty"):
        bundle_import(workspace=world.workspace, actor=admin_user, data=bundle)


def test_it_refuses_another_version(world, admin_user, target):
    bundle = _bundle(world, admin_user)
    bundle["version"] = BUNDLE_VERSION + 1
    ws, admin = target
    with pytest.raises(ValidationError, match="version"):
        bundle_import(workspace=ws, actor=admin, data=bundle)


def test_it_refuses_broken_references_and_imports_nothing(world, admin_user, target):
    bundle = _bundle(world, admin_user)
    bundle["claims"][-1]["source"] = 999_999
    ws, admin = target
    with pytest.raises(ValidationError, match="source 999999 is not in the bundle"):
        bundle_import(workspace=ws, actor=admin, data=bundle)
    assert not Source.objects.filter(workspace=ws).exists()
    assert not AuditEvent.objects.filter(workspace=ws).exists()


def test_it_rolls_back_everything_when_a_late_object_is_invalid(world, admin_user, target):
    bundle = _bundle(world, admin_user)
    bundle["links"][0]["relation"] = "befriends"
    ws, admin = target
    with pytest.raises(ValidationError, match="relation"):
        bundle_import(workspace=ws, actor=admin, data=bundle)
    assert not Article.objects.filter(workspace=ws).exists()
    assert not Claim.objects.filter(workspace=ws).exists()
    assert not Evidence.objects.filter(workspace=ws).exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda b: b["claims"][0]["figures"].append({"value": "lots"}),
            "/claims/0/figures/1/value: 'lots' does not have the expected form",
        ),
        (
            lambda b: b["claims"][0].update(created_at="yesterday"),
            "/claims/0/created_at: 'yesterday' is not a valid date and time",
        ),
        (
            lambda b: b["claims"][0].update(evidence="none"),
            "/claims/0/evidence: expected a list, found text",
        ),
        (
            lambda b: b["claims"][0].update(source=[1]),
            "/claims/0/source: expected an integer, found a list",
        ),
        (lambda b: b["claims"][0].update(source=999), "/claims/0/source: source 999 is not in"),
        (lambda b: b["claims"][0].update(status="lost"), "/claims/0/status: 'lost' is not one of"),
        (lambda b: b.update(sources="all of them"), "/sources: expected a list, found text"),
        (lambda b: b["counts"].update(claims=99), "/counts/claims: .* truncated or edited"),
    ],
)
def test_it_refuses_malformed_values_clearly(world, admin_user, target, damage, message):
    bundle = _bundle(world, admin_user)
    damage(bundle)
    ws, admin = target
    with pytest.raises(ValidationError, match=message):
        bundle_import(workspace=ws, actor=admin, data=bundle)
    assert not Claim.objects.filter(workspace=ws).exists()
    assert not AuditEvent.objects.filter(workspace=ws).exists()


def test_it_refuses_a_quote_that_is_not_in_the_text(world, admin_user, target):
    bundle = _bundle(world, admin_user)
    bundle["claims"][0]["quote"] = "something else entirely"
    ws, admin = target
    with pytest.raises(ValidationError, match="/claims/0/quote: is not the article text"):
        bundle_import(workspace=ws, actor=admin, data=bundle)


def test_it_refuses_an_article_body_that_does_not_match_its_hash(world, admin_user, target):
    bundle = _bundle(world, admin_user)
    bundle["articles"][0]["body"] += " Edited."
    ws, admin = target
    with pytest.raises(ValidationError, match="SHA-256"):
        bundle_import(workspace=ws, actor=admin, data=bundle)


def test_it_refuses_a_non_admin_importer(world, admin_user, target):
    ws, _ = target
    analyst = make_member(ws, "ann", Membership.Role.ANALYST)
    with pytest.raises(NotAllowed):
        bundle_import(workspace=ws, actor=analyst, data=_bundle(world, admin_user))


def test_it_imports_a_pseudonymised_bundle_consistently(world, analyst, target):
    bundle = export_json(workspace=world.workspace, actor=analyst, format="json")
    ws, admin = target
    result = bundle_import(workspace=ws, actor=admin, data=bundle)
    witness = Source.objects.get(workspace=ws, protected=True)
    assert witness.name == "Witness A"
    for claim in Claim.objects.filter(workspace=ws).select_related("article"):
        assert claim.article.body[claim.start : claim.end] == claim.quote
    assert not result.history_intact  # pseudonymised events no longer match their hashes
    assert audit_verify_chain(ws).ok


def test_a_pseudonymised_bundle_leaves_archives_out_and_says_so(world, analyst, target):
    bundle = export_json(workspace=world.workspace, actor=analyst, format="json")
    [snapshot] = bundle["snapshots"]
    assert snapshot["warc_base64"] is None and snapshot["warc_sha256"] is None
    assert "pseudonymised" in snapshot["warc_omitted"]
    ws, admin = target
    result = bundle_import(workspace=ws, actor=admin, data=bundle)
    # No snapshot stored empty under the hash of a file it does not have.
    assert not Snapshot.objects.filter(workspace=ws).exists()
    assert (result.counts["snapshots"], result.counts["snapshots_without_archive"]) == (0, 1)


def test_it_imports_archives_with_their_files_and_hashes(world, admin_user, target):
    ws, admin = target
    bundle_import(workspace=ws, actor=admin, data=_bundle(world, admin_user))
    snapshot = Snapshot.objects.get(workspace=ws)
    assert bytes(snapshot.warc) == WARC_BYTES
    assert snapshot.warc_sha256 == hashlib.sha256(WARC_BYTES).hexdigest()
    assert snapshot.sha256 == "ab" * 32


def test_it_refuses_a_warc_that_does_not_match_its_hash(world, admin_user, target):
    bundle = _bundle(world, admin_user)
    bundle["snapshots"][0]["warc_base64"] = base64.b64encode(b"another file").decode()
    ws, admin = target
    with pytest.raises(ValidationError, match="does not match its SHA-256"):
        bundle_import(workspace=ws, actor=admin, data=bundle)


def test_it_refuses_a_file_that_is_not_a_bundle():
    with pytest.raises(ValidationError, match="not a JSON bundle"):
        bundle_read(io.BytesIO(b"{not json"))
    with pytest.raises(ValidationError, match="not a Claims Workbench bundle"):
        bundle_read(io.BytesIO(b'{"format": "something"}'))


def test_the_command_imports_and_reports(world, admin_user, target, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(_bundle(world, admin_user)), encoding="utf-8")
    ws, _ = target
    out = io.StringIO()
    call_command("import_bundle", str(path), "--workspace", ws.slug, stdout=out)
    assert "3 claims" in out.getvalue()
    assert Claim.objects.filter(workspace=ws).count() == 3


def test_the_command_turns_errors_into_a_clear_message(world, admin_user, target, tmp_path):
    bundle = _bundle(world, admin_user)
    bundle["version"] = 99
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    ws, _ = target
    with pytest.raises(CommandError, match="Nothing was imported: This bundle is version 99"):
        call_command("import_bundle", str(path), "--workspace", ws.slug)


def test_the_command_refuses_a_non_empty_workspace(world, admin_user, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(_bundle(world, admin_user)), encoding="utf-8")
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_bundle", str(path), "--workspace", world.workspace.slug)


def test_it_appends_the_history_in_one_batch(world, admin_user, target):
    """Events are bulk-inserted and the chain head is written once, however
    long the history (10,000 claims took 42 s with one append per event)."""
    ws, admin = target
    bundle = _bundle(world, admin_user)
    with CaptureQueriesContext(connection) as queries:
        result = bundle_import(workspace=ws, actor=admin, data=bundle)
    heads = [q for q in queries if q["sql"].startswith("UPDATE") and "audit_auditchain" in q["sql"]]
    inserts = [
        q for q in queries if q["sql"].startswith("INSERT") and "audit_auditevent" in q["sql"]
    ]
    assert len(heads) == 1
    assert len(inserts) < result.history_events  # bulk, not one INSERT per event
    assert audit_verify_chain(ws).ok
