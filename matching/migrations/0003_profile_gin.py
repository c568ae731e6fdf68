"""PostgreSQL: a GIN index on match profiles' anchors, for "claims sharing any
of these anchors" (the ?| operator). Other databases get nothing here."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEX = GinIndex(fields=["anchors"], name="profile_anchors_gin_idx")


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("matching", "MatchProfile"), INDEX)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("matching", "MatchProfile"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_updates_and_profiles")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
