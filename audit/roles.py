"""A PostgreSQL role for running the app that may only add to and read the
audit trail: the migrations run as the database owner, the app as this role.

The role may read and write every table of the app (it needs to) except the
audit events, where it may only SELECT and INSERT: it cannot UPDATE, DELETE
or TRUNCATE them, and, as it does not own the table, cannot disable the
append-only trigger or drop it. (The chain heads stay writable: appending
moves them; the signed checkpoints are what catch a head moved back.)
"""

from __future__ import annotations

from psycopg import sql

AUDIT_EVENTS_TABLE = "audit_auditevent"


def app_role_statements(*, role: str, database: str, schema: str = "public") -> list[sql.Composed]:
    """The statements, run as the owner after every `migrate`, that give `role`
    what the app needs and no more on the audit events."""
    r, s = sql.Identifier(role), sql.Identifier(schema)
    events = sql.Identifier(schema, AUDIT_EVENTS_TABLE)
    return [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), r),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
            s, r
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r),
        # Append-only for the app, whatever was granted above.
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {} FROM {}").format(
            events, r
        ),
        sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(events, r),
    ]
