"""PostgreSQL search expressions over claims, shared by the queries and the
indexes that serve them (an expression index is used only when the query
repeats its expression exactly, so both are built from these)."""

from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db.models import F

SEARCH_CONFIG = "english"


def claim_text_vector() -> SearchVector:
    """Full text of a claim: its statement and its quote."""
    return SearchVector("statement", "quote", config=SEARCH_CONFIG)


def postgres_claim_indexes() -> list[GinIndex]:
    """Trigram indexes on quote and statement (pg_trgm's % operator and
    similarity()), and the full-text index on claim_text_vector()."""
    return [
        GinIndex(OpClass(F("quote"), name="gin_trgm_ops"), name="claim_quote_trgm_idx"),
        GinIndex(OpClass(F("statement"), name="gin_trgm_ops"), name="claim_statement_trgm_idx"),
        GinIndex(claim_text_vector(), name="claim_text_fts_idx"),
    ]


def postgres_knn_indexes() -> list[GistIndex]:
    """Nearest-neighbour indexes for the matcher: trigram GiST (gist_trgm_ops
    answers ORDER BY field <-> 'text' LIMIT n by walking the index) led by the
    workspace (btree_gist), so one workspace's nearest claims are read
    without scanning the others."""
    return [
        GistIndex(
            F("workspace_id"),
            OpClass(F("statement"), name="gist_trgm_ops"),
            name="claim_ws_statement_knn_idx",
        ),
        GistIndex(
            F("workspace_id"),
            OpClass(F("quote"), name="gist_trgm_ops"),
            name="claim_ws_quote_knn_idx",
        ),
    ]
