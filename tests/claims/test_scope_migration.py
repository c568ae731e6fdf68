"""The data migration: free-text figures get a scope where their wording
says it; the rest are kept as they were (and listed as needing scope)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("claims", "0006_source_change_proposals"), ("workspaces", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_it_reads_the_scope_of_existing_figures_from_their_wording():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        workspace = apps.get_model("workspaces", "Workspace").objects.create(slug="old", name="Old")
        source = apps.get_model("claims", "Source").objects.create(
            workspace=workspace, name="Monitor"
        )
        article = apps.get_model("claims", "Article").objects.create(
            workspace=workspace, title="Old", body="x" * 50, body_sha256="0" * 64
        )
        claim = apps.get_model("claims", "Claim").objects.create(
            workspace=workspace, article=article, quote="x", start=0, end=1, source=source
        )
        figure = apps.get_model("claims", "Figure")
        for position, counted in enumerate(
            ["civilians killed", "death toll", "members of the security forces", "houses burned"]
        ):
            figure.objects.create(claim=claim, position=position, value=5, counted=counted)

        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        apps = executor.loader.project_state(latest).apps
        rows = {
            f.counted: f
            for f in apps.get_model("claims", "Figure").objects.select_related("outcome")
        }
        assert (rows["civilians killed"].outcome.key, rows["civilians killed"].population) == (
            "killed",
            "civilians",
        )
        assert (rows["death toll"].outcome.key, rows["death toll"].basis) == (
            "killed",
            "cumulative",
        )
        assert rows["members of the security forces"].population == "security_forces"
        assert rows["members of the security forces"].outcome is None  # the wording has none
        assert rows["houses burned"].outcome is None  # kept as it was, for an analyst
        assert all(f.place_id is None for f in rows.values())
    finally:
        MigrationExecutor(connection).migrate(latest)
