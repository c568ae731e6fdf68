"""Nearest-neighbour indexes for the matcher on PostgreSQL: trigram GiST on
(workspace, statement) and (workspace, quote), with btree_gist for the
workspace column. Built from claims.search so that the queries' expressions
match. Other databases get nothing here. No model changes."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from claims.search import postgres_knn_indexes


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    claim = apps.get_model("claims", "Claim")
    for index in postgres_knn_indexes():
        schema_editor.add_index(claim, index)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    claim = apps.get_model("claims", "Claim")
    for index in postgres_knn_indexes():
        schema_editor.remove_index(claim, index)


class PostgresBtreeGistExtension(BtreeGistExtension):
    """btree_gist, created only on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_figure_scope")]

    operations = [
        PostgresBtreeGistExtension(),
        migrations.RunPython(add, remove, elidable=False),
    ]
