"""Indexes for the matcher on PostgreSQL: trigram (pg_trgm) on claim quote and
statement, and full-text search on statement + quote. Other databases use the
matcher's Python fallback and get nothing here. No model changes."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The matcher's `quote % text` and `statement % text` candidates.
    "CREATE INDEX IF NOT EXISTS claim_quote_trgm_idx ON claims_claim USING gin (quote gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS claim_statement_trgm_idx ON claims_claim "
    "USING gin (statement gin_trgm_ops)",
    # The matcher's full-text candidates; the query repeats this exact expression.
    "CREATE INDEX IF NOT EXISTS claim_text_fts_idx ON claims_claim "
    "USING gin (to_tsvector('english', statement || ' ' || quote))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS claim_text_fts_idx",
    "DROP INDEX IF EXISTS claim_statement_trgm_idx",
    "DROP INDEX IF EXISTS claim_quote_trgm_idx",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_workflow_jobs_exports")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
