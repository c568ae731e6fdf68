"""Batched audit appends: the chain built in memory, the head written once."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditChain, AuditEvent
from audit.selectors import audit_verify_chain, chain_head
from audit.services import AuditBatch, audit_batch, audit_record
from claims.services.sources import source_create


def _record_many(workspace, actor, count):
    with audit_batch(workspace=workspace) as batch:
        for i in range(count):
            batch.record(
                actor=actor,
                object_type="source",
                object_id=i,
                action=AuditEvent.Action.CREATE,
                changes={"name": [None, f"Source {i}"]},
            )
    return batch


def _chain_writes(queries) -> int:
    return sum(
        1 for q in queries if q["sql"].startswith("UPDATE") and "audit_auditchain" in q["sql"]
    )


def test_a_batch_continues_the_chain_and_verifies(workspace, analyst, monitor):
    before = chain_head(workspace)[0]
    with transaction.atomic():
        _record_many(workspace, analyst, 25)
    assert chain_head(workspace)[0] == before + 25
    report = audit_verify_chain(workspace)
    assert report.ok, report.problem
    assert report.events_checked == before + 25


def test_it_writes_the_head_once_and_inserts_in_bulk(workspace, analyst, monitor):
    def queries_for(count):
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            _record_many(workspace, analyst, count)
        return queries

    # 50: one INSERT on SQLite too (its bulk inserts are split at ~70 rows).
    few, many = queries_for(3), queries_for(50)
    assert _chain_writes(few) == _chain_writes(many) == 1
    assert len(few) == len(many)
    assert audit_verify_chain(workspace).ok


def test_it_flushes_in_parts_and_still_verifies(workspace, analyst, monkeypatch):
    monkeypatch.setattr(AuditBatch, "FLUSH_EVERY", 7)
    with transaction.atomic():
        _record_many(workspace, analyst, 30)
    assert AuditEvent.objects.filter(workspace=workspace).count() == 30
    assert audit_verify_chain(workspace).ok


def test_services_called_inside_a_batch_join_it(workspace, analyst):
    with (
        CaptureQueriesContext(connection) as queries,
        transaction.atomic(),
        audit_batch(workspace=workspace),
    ):
        for i in range(5):
            source_create(workspace=workspace, actor=analyst, name=f"Source {i}")
    assert _chain_writes(queries) == 1
    assert chain_head(workspace)[0] == 5
    assert audit_verify_chain(workspace).ok


def test_a_failed_unit_leaves_no_event_behind(workspace, analyst):
    with transaction.atomic(), audit_batch(workspace=workspace) as batch:
        with batch.unit():
            source_create(workspace=workspace, actor=analyst, name="Kept")
        with pytest.raises(IntegrityError), batch.unit():
            source_create(workspace=workspace, actor=analyst, name="Dropped")
            audit_record(
                workspace=workspace, actor=analyst, object_type="x", object_id=1, action="create"
            )
            # A database error after the events were chained: the unit is undone.
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO audit_auditevent (workspace_id, sequence) VALUES (%s, 1)",
                    [workspace.pk],
                )
        with batch.unit():
            source_create(workspace=workspace, actor=analyst, name="Also kept")
    labels = list(
        AuditEvent.objects.filter(workspace=workspace)
        .order_by("sequence")
        .values_list("object_label", flat=True)
    )
    assert labels == ["Kept", "Also kept"]
    assert audit_verify_chain(workspace).ok


def test_an_error_in_the_batch_writes_nothing(workspace, analyst):
    with (
        pytest.raises(RuntimeError),
        transaction.atomic(),
        audit_batch(workspace=workspace) as batch,
    ):
        batch.record(actor=analyst, object_type="x", object_id=1, action="create")
        raise RuntimeError("boom")
    assert not AuditEvent.objects.filter(workspace=workspace).exists()
    assert AuditChain.objects.filter(workspace=workspace, sequence__gt=0).count() == 0


@pytest.mark.django_db(transaction=True)
def test_it_needs_a_transaction(workspace):
    with (
        pytest.raises(RuntimeError, match="inside a transaction"),
        audit_batch(workspace=workspace),
    ):
        pass
