"""The hash-chained audit trail and verify_audit."""

import io
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS_HASH
from audit.models import AuditEvent
from audit.selectors import audit_verify_chain


def _verify(*args):
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_it_chains_each_event_to_the_previous(workspace, claim):
    events = list(AuditEvent.objects.filter(workspace=workspace).order_by("sequence"))
    assert events[0].prev_hash == GENESIS_HASH
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    for before, after in pairwise(events):
        assert after.prev_hash == before.hash


def test_it_records_actor_request_and_changed_fields(client_for, analyst, workspace, monitor):
    response = client_for(analyst).post(
        f"/w/{workspace.slug}/sources/{monitor.pk}/edit/",
        {"name": "Monitoring Group", "kind": "monitor", "reliability": "A", "aliases": ""},
        HTTP_X_REQUEST_ID="req-12345678",
    )
    event = AuditEvent.objects.filter(action="update").get()
    assert event.actor == analyst
    assert event.changes == {"reliability": ["C", "A"]}
    # F13: the server makes the request id; the client's is kept apart, labelled.
    assert event.request_id == response["X-Request-ID"] != "req-12345678"
    assert len(event.request_id) == 32
    assert event.client_request_id == "req-12345678"


def test_a_client_cannot_choose_the_request_id(client_for, analyst, workspace, monitor):
    ids = set()
    for _ in range(2):
        response = client_for(analyst).post(
            f"/w/{workspace.slug}/sources/{monitor.pk}/edit/",
            {"name": "Monitoring Group", "kind": "monitor", "reliability": "B", "aliases": "x"},
            HTTP_X_REQUEST_ID="someone-elses-id",
        )
        ids.add(response["X-Request-ID"])
    assert len(ids) == 2 and "someone-elses-id" not in ids
    # A malformed client id is not kept at all.
    client_for(analyst).post(
        f"/w/{workspace.slug}/sources/{monitor.pk}/edit/",
        {"name": "Monitoring Group", "kind": "monitor", "reliability": "C", "aliases": ""},
        HTTP_X_REQUEST_ID="<script>",
    )
    assert AuditEvent.objects.order_by("-sequence").first().client_request_id == ""


def test_it_verifies_an_intact_chain(workspace, claim):
    out = _verify("--workspace", workspace.slug)
    count = AuditEvent.objects.filter(workspace=workspace).count()
    assert f"{count} events checked" in out
    assert "chain intact" in out


def _raw(statement, pk):
    with connection.cursor() as cursor:
        cursor.execute(statement, [pk])


def test_an_event_altered_with_raw_sql_is_refused_or_detected(workspace, claim):
    """PostgreSQL refuses the raw UPDATE itself; SQLite cannot, and verify_audit names the event."""
    target = AuditEvent.objects.filter(workspace=workspace).order_by("sequence")[1]
    statement = "UPDATE audit_auditevent SET actor_name = 'mallory' WHERE id = %s"
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw(statement, target.pk)
        target.refresh_from_db()
        assert target.actor_name == "ana"
        assert "chain intact" in _verify("--workspace", workspace.slug)
    else:
        _raw(statement, target.pk)
        with pytest.raises(CommandError, match=f"event #{target.sequence}"):
            _verify("--workspace", workspace.slug)
        report = audit_verify_chain(workspace)
        assert report.broken_event.pk == target.pk
        assert "altered" in report.problem


def test_an_event_deleted_with_raw_sql_is_refused_or_detected(workspace, claim):
    last = AuditEvent.objects.filter(workspace=workspace).order_by("-sequence").first()
    statement = "DELETE FROM audit_auditevent WHERE id = %s"
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw(statement, last.pk)
        assert AuditEvent.objects.filter(pk=last.pk).exists()
    else:
        _raw(statement, last.pk)
        with pytest.raises(CommandError, match="removed from the end"):
            _verify("--workspace", workspace.slug)


def test_an_event_removed_from_the_middle_is_detected(workspace, claim):
    """Where the database lets a delete through (SQLite), the gap is found."""
    middle = AuditEvent.objects.filter(workspace=workspace).order_by("sequence")[1]
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            _raw("DELETE FROM audit_auditevent WHERE id = %s", middle.pk)
        return
    _raw("DELETE FROM audit_auditevent WHERE id = %s", middle.pk)
    report = audit_verify_chain(workspace)
    assert not report.ok
    assert "missing" in report.problem


def test_it_fails_for_an_unknown_workspace(db):
    with pytest.raises(CommandError, match="No workspace"):
        _verify("--workspace", "nope")
