"""F10: the audit trail has a witness outside the database. Someone with
write access to the database (trigger disabled, as its owner can) cuts,
rewinds or re-chains the history, or forges a checkpoint; verify_audit
names each."""

import base64
import io
import json
import os
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.chain import compute_hash
from audit.checkpoints import checkpoint_all, checkpoint_sign, checkpoint_verify, log_path
from audit.models import AuditChain, AuditEvent
from audit.selectors import audit_verify_chain
from claims.services.sources import source_update
from exports.models import Export
from tests.exports.world import export_bytes


@pytest.fixture
def sign(django_capture_on_commit_callbacks):
    """checkpoint_sign as outside a transaction: the test's own transaction
    would hold the log line back until it commits."""

    def sign_now(workspace):
        with django_capture_on_commit_callbacks(execute=True):
            return checkpoint_sign(workspace)

    return sign_now


def _verify(*args):
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _as_owner(statement, params=()):
    """Run raw SQL as the database owner would: with the append-only trigger off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Fire the test transaction's deferred foreign-key checks first:
            # ALTER TABLE refuses to run while they are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
            )
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _events(workspace):
    return list(AuditEvent.objects.filter(workspace=workspace).order_by("sequence"))


def _lines(workspace):
    return log_path(workspace.pk).read_text().splitlines()


def test_a_checkpoint_is_signed_logged_outside_the_database_and_verifies(workspace, claim, sign):
    checkpoint = sign(workspace)
    events = _events(workspace)
    assert checkpoint.events == len(events) and checkpoint.head == events[-1].hash
    line = json.loads(_lines(workspace)[-1])
    assert line["events"] == len(events) and line["sig"] == checkpoint.signature
    out = _verify("--workspace", workspace.slug)
    assert "chain intact" in out and "1 signed checkpoint(s)" in out


def test_the_key_file_is_private_and_never_in_the_database(settings, workspace, claim, sign):
    sign(workspace)
    mode = os.stat(settings.AUDIT_SIGNING_KEY_FILE).st_mode
    assert stat.S_IMODE(mode) == 0o600
    seed = Path(settings.AUDIT_SIGNING_KEY_FILE).read_text().strip()
    assert base64.b64decode(seed) and len(base64.b64decode(seed)) == 32
    assert all(seed not in json.dumps(e.changes) for e in _events(workspace))


def test_truncation_is_named(workspace, claim, sign):
    sign(workspace)
    _as_owner("DELETE FROM audit_auditevent WHERE workspace_id = %s", [workspace.pk])
    AuditChain.objects.filter(workspace=workspace).update(sequence=0, head="")
    # The chain alone now looks intact (an empty chain and a matching head).
    with pytest.raises(CommandError, match="truncated"):
        _verify("--workspace", workspace.slug)


def test_rewinding_the_head_is_named(workspace, claim, analyst, monitor, sign):
    sign(workspace)
    source_update(source=monitor, actor=analyst, reliability="A")
    sign(workspace)
    events = _events(workspace)
    keep = events[:-3]
    _as_owner(
        "DELETE FROM audit_auditevent WHERE workspace_id = %s AND sequence > %s",
        [workspace.pk, keep[-1].sequence],
    )
    AuditChain.objects.filter(workspace=workspace).update(
        sequence=keep[-1].sequence, head=keep[-1].hash
    )
    report = checkpoint_verify(workspace)
    assert any("removed from the end and the head rewound" in p for p in report.problems)
    with pytest.raises(CommandError, match="head rewound"):
        _verify("--workspace", workspace.slug)


def test_rechaining_is_named(workspace, claim, analyst, monitor, sign):
    source_update(source=monitor, actor=analyst, reliability="A")
    sign(workspace)
    events = _events(workspace)
    # Rewrite the second event and recompute every later hash and the head.
    prev = events[0].hash
    for event in events[1:]:
        if event.sequence == 2:
            event.actor_name = "mallory"
        event.prev_hash = prev
        event.hash = compute_hash(prev, event)
        prev = event.hash
        _as_owner(
            "UPDATE audit_auditevent SET actor_name = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.actor_name, event.prev_hash, event.hash, event.pk],
        )
    AuditChain.objects.filter(workspace=workspace).update(head=prev)
    from_chain_alone = _verify_chain_only(workspace)
    assert from_chain_alone.ok  # the hash chain alone cannot see it
    with pytest.raises(CommandError, match="re-chained"):
        _verify("--workspace", workspace.slug)


def _verify_chain_only(workspace):
    return audit_verify_chain(workspace)


def test_a_forged_checkpoint_is_named(workspace, claim, sign):
    sign(workspace)
    line = json.loads(_lines(workspace)[-1])
    line["events"] += 5
    with open(log_path(workspace.pk), "a") as log:
        log.write(json.dumps(line) + "\n")
        log.write("not a checkpoint\n")
    report = checkpoint_verify(workspace)
    assert any("forged or altered checkpoint" in p for p in report.problems)
    assert any("line 3 is not a checkpoint" in p for p in report.problems)
    with pytest.raises(CommandError, match="forged"):
        _verify("--workspace", workspace.slug)


def test_a_checkpoint_signed_with_another_key_is_refused(settings, workspace, claim, sign):
    sign(workspace)
    settings.AUDIT_SIGNING_KEY_FILE = settings.AUDIT_SIGNING_KEY_FILE + ".other"
    with pytest.raises(CommandError, match="forged"):
        _verify("--workspace", workspace.slug)


def test_every_export_leaves_a_checkpoint_covering_its_own_event(
    workspace, claim, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export_bytes(workspace=workspace, actor=analyst, format="csv")
    export_event = AuditEvent.objects.get(workspace=workspace, action="export")
    last = json.loads(_lines(workspace)[-1])
    assert last["events"] == export_event.sequence and last["head"] == export_event.hash
    assert Export.objects.count() == 1


def test_the_report_prints_its_checkpoint(
    workspace, claim, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        html = export_bytes(workspace=workspace, actor=analyst, format="html").decode()
    line = json.loads(_lines(workspace)[0])
    assert "Signed checkpoint" in html and line["sig"] in html
    event = AuditEvent.objects.get(workspace=workspace, action="export")
    assert event.changes["checkpoint"]["sig"] == line["sig"]


def test_beat_signs_only_chains_that_moved(
    workspace, other_workspace, claim, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert checkpoint_all([workspace, other_workspace]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert checkpoint_all([workspace, other_workspace]) == 0
    assert len(_lines(workspace)) == 1


def test_the_checkpoint_command_signs_what_moved(
    workspace, claim, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit_checkpoint", stdout=out)
    assert "1 checkpoint(s) signed" in out.getvalue()
    assert len(_lines(workspace)) == 1


def test_the_checkpoint_command_needs_a_key(settings, workspace, claim):
    settings.AUDIT_SIGNING_KEY_GENERATE = False
    with pytest.raises(CommandError, match="No audit signing key"):
        call_command("audit_checkpoint", stdout=io.StringIO())


def test_the_public_key_can_be_printed_for_auditors(settings, workspace, claim, sign):
    out = io.StringIO()
    call_command("audit_checkpoint", "--public-key", stdout=out)
    public, _, rest = out.getvalue().partition("  ")
    checkpoint = sign(workspace)
    assert checkpoint.key in rest
    # Verifying with only the public key (no signing key at hand) works.
    settings.AUDIT_VERIFY_KEYS = [public]
    settings.AUDIT_SIGNING_KEY_FILE = settings.AUDIT_SIGNING_KEY_FILE + ".absent"
    settings.AUDIT_SIGNING_KEY_GENERATE = False
    assert checkpoint_verify(workspace).ok
