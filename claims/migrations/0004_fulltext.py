"""Full-text search on claims, articles, evidence and sources (claims.fulltext).

PostgreSQL: a stored, generated `search_vector` column on each table (its
expression compiled from the Document's weighted SearchVector) with a GIN
index, and trigram indexes on article titles and source names (typos and
autocomplete). SQLite: FTS5 tables kept in sync by triggers, filled from the
existing rows. No model changes: the column and the FTS tables are invisible
to the models; only claims.fulltext reads them."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models import F

from claims import fulltext

TRIGRAM_INDEXES = (
    ("Article", GinIndex(OpClass(F("title"), name="gin_trgm_ops"), name="article_title_trgm_idx")),
    ("Source", GinIndex(OpClass(F("name"), name="gin_trgm_ops"), name="source_name_trgm_idx")),
)
MODELS = {"claim": "Claim", "article": "Article", "evidence": "Evidence", "source": "Source"}


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for document in fulltext.DOCUMENTS:
            model = apps.get_model("claims", MODELS[document.label])
            fulltext.postgres_create(document, model, schema_editor)
        for model_name, index in TRIGRAM_INDEXES:
            schema_editor.add_index(apps.get_model("claims", model_name), index)
    elif schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            fulltext.sqlite_ensure(cursor)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model_name, index in TRIGRAM_INDEXES:
            schema_editor.remove_index(apps.get_model("claims", model_name), index)
        for document in fulltext.DOCUMENTS:
            fulltext.postgres_drop(document, schema_editor)
    elif schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            fulltext.sqlite_drop(cursor)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_claim_summary")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
