"""The search page: ranked, highlighted results across claims, articles,
evidence and sources; typos in names; never another workspace's data; the
full-text index follows every change; the indexes serve the queries."""

import re

import pytest
from django.db import connection, transaction
from django.urls import reverse

from claims import fulltext
from claims.models import Article, Claim, Evidence, Source
from claims.services.claims import claim_update
from search.selectors import claim_rows


def _search(client, world, **params):
    return client.get(reverse("search", args=[world.workspace.slug]), params)


def _claim_hits(html) -> list[int]:
    section = html.split('id="s-claims"')[1].split("</section>")[0]
    return [int(i) for i in re.findall(r"/claims/(\d+)/", section)]


def test_it_finds_claims_by_any_form_of_a_word_with_highlights(client_for, world):
    response = _search(client_for(world.analyst), world, q="kill")
    html = response.content.decode()
    assert response.status_code == 200
    assert set(_claim_hits(html)) == {world.killed.pk, world.denied.pk}
    assert "<mark>killed</mark>" in html


def test_it_ranks_the_statement_above_the_quote(client_for, world):
    Claim.objects.filter(pk=world.looted.pk).update(statement="Looting in Baniyas")
    Claim.objects.filter(pk=world.killed.pk).update(statement="Forty dead")
    hits = _claim_hits(_search(client_for(world.analyst), world, q="Baniyas").content.decode())
    # In the statement (weight A) beats in the quote only (weight B).
    assert set(hits) == {world.denied.pk, world.looted.pk, world.killed.pk}
    assert hits.index(world.looted.pk) < hits.index(world.killed.pk)


def test_it_searches_articles_evidence_and_sources(client_for, world):
    html = _search(client_for(world.analyst), world, q="Tartus").content.decode()
    assert f"/claims/{world.displaced.pk}/#evidence-" in html  # the evidence's excerpt
    assert "<mark>Tartus</mark>" in html
    assert f"/articles/{world.article.pk}/" in html
    html = _search(client_for(world.analyst), world, q="Observatory").content.decode()
    assert f"?source={world.observatory.pk}" in html


def test_it_finds_a_source_despite_a_typo(client_for, world):
    html = _search(client_for(world.analyst), world, q="Mona Hadad").content.decode()
    sources = html.split('id="s-sources"')[1].split("</section>")[0]
    assert f"?source={world.witness.pk}" in sources


def test_it_never_shows_another_workspace(client_for, world):
    html = _search(client_for(world.analyst), world, q="Baniyas").content.decode()
    assert world.stranger.pk not in _claim_hits(html)
    assert "Baniyas elsewhere" not in html
    assert "Other Monitor" not in html
    # The same search by the other workspace's member sees only their claim.
    other = client_for(world.stranger.created_by)
    html = other.get(reverse("search", args=["desk-b"]), {"q": "Baniyas"}).content.decode()
    assert _claim_hits(html) == [world.stranger.pk]


def test_a_member_of_another_workspace_gets_404(client_for, world):
    other = client_for(world.stranger.created_by)
    assert _search(other, world, q="Baniyas").status_code == 404


def test_markup_in_a_claim_is_escaped_in_its_snippet(client_for, world):
    Claim.objects.filter(pk=world.killed.pk).update(
        statement="<script>alert(1)</script> Baniyas <b>bold</b>"
    )
    html = _search(client_for(world.analyst), world, q="alert Baniyas").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html or world.killed.pk in _claim_hits(html)


@pytest.mark.parametrize(
    "query", ['"unbalanced', "-", "OR", "a OR", '" "', "NEAR(", "*", "kill*", "col:umn", "'; --"]
)
def test_no_query_is_an_error(client_for, world, query):
    response = _search(client_for(world.analyst), world, q=query)
    assert response.status_code == 200


def test_the_filters_narrow_the_claims(client_for, world):
    html = _search(client_for(world.analyst), world, q="killed", status="new").content.decode()
    assert _claim_hits(html) == [world.killed.pk]
    assert "?q=killed&amp;status=new" in html  # "all in the claims table" keeps both


def test_the_index_follows_edits_and_deletes(client_for, world):
    claim = Claim.objects.get(pk=world.looted.pk)
    claim_update(
        claim=claim,
        actor=world.analyst,
        expected_version=claim.version,
        statement="Militiamen torched the granary",
    )
    client = client_for(world.analyst)
    assert _claim_hits(_search(client, world, q="granary").content.decode()) == [claim.pk]
    Source.objects.filter(pk=world.ministry.pk).update(description="Speaks for the cabinet")
    html = _search(client, world, q="cabinet").content.decode()
    assert f"?source={world.ministry.pk}" in html
    Evidence.objects.filter(claim=world.displaced).delete()
    html = _search(client, world, q="UNHCR").content.decode()
    assert "UNHCR note" not in html


def test_pages_of_one_kind(client_for, world):
    html = _search(client_for(world.analyst), world, q="said", type="claims").content.decode()
    assert 'id="s-claims"' in html and 'id="s-sources"' not in html
    assert "All results for" in html


def _plan(queryset) -> str:
    """EXPLAIN with sequential scans priced out, so on a tiny test table the
    plan shows whether an index *can* serve the query."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_indexes_serve_the_queries(world):
    """PostgreSQL: each search expression is the one its GIN index was built
    on. SQLite: the FTS5 tables answer MATCH."""
    ws = world.workspace
    if connection.vendor == "postgresql":
        # Without the workspace condition, which a tiny table would rather
        # answer from the workspace's own index.
        for model, document, index in (
            (Claim, fulltext.CLAIMS, "claim_search_idx"),
            (Article, fulltext.ARTICLES, "article_search_idx"),
            (Evidence, fulltext.EVIDENCE, "evidence_search_idx"),
            (Source, fulltext.SOURCES, "source_search_idx"),
        ):
            matches = fulltext.matching(model.objects.all(), document, "Baniyas")
            assert index in _plan(matches.values("pk")), model
        names = fulltext.similar_names(Source.objects.all(), "name", "Hadad")
        assert "source_name_trgm_idx" in _plan(names.values("pk"))
        titles = fulltext.similar_names(Article.objects.all(), "title", "Baniyas")
        assert "article_title_trgm_idx" in _plan(titles.values("pk"))
        assert ws.claims.exists()
        ranked = fulltext.with_rank(
            claim_rows(Claim.objects.filter(pk=world.killed.pk)), fulltext.CLAIMS, "x"
        )
        assert "search_vector" in str(ranked.query)  # ranks the stored vector, not a new one
    else:
        with connection.cursor() as cursor:
            for document in fulltext.DOCUMENTS:
                fts = document.fts_table
                cursor.execute(
                    f"EXPLAIN QUERY PLAN SELECT rowid FROM {fts} WHERE {fts} MATCH %s",  # noqa: S608
                    ['"baniyas"'],
                )
                assert "VIRTUAL TABLE INDEX" in str(cursor.fetchall()), document.table


def test_sqlite_triggers_are_put_back_after_a_table_rebuild(world):
    """Django rebuilds a SQLite table for some schema changes, dropping its
    triggers: post_migrate puts them back and rebuilds the index. PostgreSQL's
    generated column needs nothing of the kind."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns WHERE column_name = %s "
                "AND is_generated = 'ALWAYS'",
                [fulltext.VECTOR_COLUMN],
            )
            assert cursor.fetchone()[0] == len(fulltext.DOCUMENTS)
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER claims_claim_fts_ai")
        Claim.objects.filter(pk=world.killed.pk).update(statement="zebra crossing")
        assert fulltext.sqlite_ensure(cursor) == ["claims_claim_fts"]
        assert fulltext.sqlite_ensure(cursor) == []
    found = fulltext.matching(Claim.objects.all(), fulltext.CLAIMS, "zebra")
    assert list(found.values_list("pk", flat=True)) == [world.killed.pk]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("killed Baniyas", '"killed" AND "Baniyas"'),
        ('"looted houses" Jableh', '"looted houses" AND "Jableh"'),
        ("Baniyas -ministry", '("Baniyas") NOT "ministry"'),
        ("Baniyas or Jableh", '("Baniyas" OR "Jableh")'),
        ('"un"balanced" NEAR( col:umn', '"un" AND "balanced" AND "NEAR" AND "col umn"'),
        ("-only", ""),
        ("", ""),
    ],
)
def test_fts5_queries_quote_every_term(text, expected):
    assert fulltext.fts5_query(text) == expected
