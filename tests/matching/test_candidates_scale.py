"""The matcher's candidate queries at the size of a real desk: on PostgreSQL,
nearest neighbours by trigram distance over the GiST indexes, stopped by a
LIMIT (EXPLAIN shows the index and no sequential scan of the claims)."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Article, Claim
from claims.services.sources import source_create
from matching.selectors_candidates import (
    CANDIDATE_LIMIT,
    FALLBACK_CANDIDATE_LIMIT,
    _fallback_candidates,
    base_candidates,
    excluded_article_ids,
    nearest_by_trigram,
)
from workspaces.models import Workspace

WORDS = [
    "monitor",
    "ministry",
    "toll",
    "killed",
    "wounded",
    "coast",
    "villages",
    "gunmen",
    "civilians",
    "forces",
]


def _bulk_claims(workspace: Workspace, source, count: int) -> None:
    body = "x" * 200
    article = Article.objects.create(
        workspace=workspace,
        title="Bulk",
        body=body,
        body_sha256=hashlib.sha256(body.encode()).hexdigest(),
    )
    Claim.objects.bulk_create(
        [
            Claim(
                workspace=workspace,
                article=article,
                quote=" ".join(WORDS[(n + i) % 10] for i in range(8)) + f" {n}",
                start=0,
                end=10,
                source=source,
                statement=f"{WORDS[n % 10]} {WORDS[(n * 7) % 10]} report {n}",
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


@pytest.mark.parametrize("size", [5_000, 20_000])
def test_the_candidate_queries_walk_the_knn_indexes(
    size, workspace, other_workspace, claim, monitor, outsider
):
    _bulk_claims(workspace, monitor, size // 4)
    foreign = source_create(workspace=other_workspace, actor=outsider, name="Far")
    _bulk_claims(other_workspace, foreign, size)
    base = base_candidates(claim, excluded_article_ids(claim))
    if connection.vendor != "postgresql":
        # SQLite has no trigram index: the newest claims, bounded, stand in.
        with CaptureQueriesContext(connection) as queries:
            found = _fallback_candidates(claim, base)
        assert len(found) == FALLBACK_CANDIDATE_LIMIT
        assert f"LIMIT {FALLBACK_CANDIDATE_LIMIT}" in queries.captured_queries[0]["sql"]
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    for field, index in (
        ("statement", "claim_ws_statement_knn_idx"),
        ("quote", "claim_ws_quote_knn_idx"),
    ):
        query = nearest_by_trigram(claim, base, field)
        plan = query.explain()
        assert index in plan, plan
        assert "Limit" in plan
        assert "Seq Scan on claims_claim" not in plan, plan
        assert len(list(query)) == CANDIDATE_LIMIT
