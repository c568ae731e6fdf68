"""F10 (second half): the app can run as a PostgreSQL role that may only add
to and read the audit trail. The test creates the role in the test database,
applies the grants with the management command, acts as the role, and drops
it again."""

import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from claims.services.sources import source_update

REFUSED = [
    "UPDATE audit_auditevent SET actor_name = 'mallory'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
    "DROP TABLE audit_auditevent",
]


@pytest.fixture
def app_role(db):
    if connection.vendor != "postgresql":
        # SQLite has no roles: the command says so instead of pretending.
        with pytest.raises(CommandError, match="need PostgreSQL"):
            call_command("audit_app_role", "--role", "app", stdout=io.StringIO())
        yield None
        return
    role = f"wb_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    out = io.StringIO()
    call_command("audit_app_role", "--role", role, "--apply", stdout=out)
    assert "may only SELECT and INSERT audit events" in out.getvalue()
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def _as(role):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')


@pytest.mark.parametrize("statement", REFUSED)
def test_the_app_role_cannot_change_audit_events(app_role, claim, statement):
    if app_role is None:
        return
    before = AuditEvent.objects.count()
    _as(app_role)
    with (
        pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    assert AuditEvent.objects.count() == before


def test_the_app_role_can_still_work_and_append(app_role, claim, analyst, monitor):
    if app_role is None:
        return
    before = AuditEvent.objects.count()
    _as(app_role)
    source_update(source=monitor, actor=analyst, reliability="A")
    assert AuditEvent.objects.count() == before + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
        cursor.execute("RESET ROLE")
