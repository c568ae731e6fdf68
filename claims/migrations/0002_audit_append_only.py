"""On PostgreSQL, make the audit table append-only in the database itself, so
neither a bug nor a raw SQL statement can rewrite history. (SQLite has no
such guard; there the application never updates or deletes events.)

TRUNCATE is left to the database owner on purpose: test databases are reset
with it between transactional tests. A truncated chain still fails
verification, because each workspace records the head of its chain.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION claims_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused on claims_auditevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_auditevent_append_only
    BEFORE UPDATE OR DELETE ON claims_auditevent
    FOR EACH ROW EXECUTE FUNCTION claims_auditevent_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS claims_auditevent_append_only ON claims_auditevent;
DROP FUNCTION IF EXISTS claims_auditevent_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL holds a literal % that must not be read as a placeholder.
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
