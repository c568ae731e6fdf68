"""Search indexes on PostgreSQL: trigram (pg_trgm) on claim quote and statement,
and full text on statement + quote, built from claims.search so that the
queries' expressions match. Other databases get nothing here: the matcher and
search use their Python or FTS5 fallbacks. No model changes."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from claims.search import postgres_claim_indexes


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    claim = apps.get_model("claims", "Claim")
    for index in postgres_claim_indexes():
        schema_editor.add_index(claim, index)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    claim = apps.get_model("claims", "Claim")
    for index in postgres_claim_indexes():
        schema_editor.remove_index(claim, index)


class PostgresTrigramExtension(TrigramExtension):
    """pg_trgm, created only on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        PostgresTrigramExtension(),
        migrations.RunPython(add, remove, elidable=False),
    ]
