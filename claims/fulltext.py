"""Full-text search over claims, articles, evidence and sources: one definition
per searchable model, from which the database objects (built by migrations)
and the queries are made, so the queries always hit their indexes.

PostgreSQL: each table has a stored, generated `search_vector` column (a
weighted tsvector compiled from `Document.vector()`) with a GIN index, so a
search neither recomputes vectors nor scans the table, and ranking reads the
stored vector. Names and titles also have trigram indexes (pg_trgm) for
typos and autocomplete.

SQLite (the embedded fallback): an FTS5 table per model (external content,
porter stemming), kept in sync by triggers; bm25 ranks with the same weights.
The column is invisible to Django's models (no model field), so nothing else
reads or writes it.

The SQL written here names only the tables and columns of the Documents
below (constants); every value (query text, ids) is a query parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, F, Lookup, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.db.models.sql import Query

from claims.search import SEARCH_CONFIG

VECTOR_COLUMN = "search_vector"
# Indexed and highlighted length of an article body (tsvector caps at 1 MB).
BODY_CHARS = 100_000
# bm25 weights on SQLite for PostgreSQL's A-D weights.
BM25_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 1.0, "D": 0.5}
# Marks around highlighted words in snippets (control characters no text has).
START_SEL, STOP_SEL = "\x02", "\x03"
# Longest query accepted (longer input is cut).
MAX_QUERY_CHARS = 200


@dataclass(frozen=True)
class Document:
    """What is searchable in one model: (field, weight) pairs and the field
    whose text is shown as the highlighted snippet."""

    label: str
    table: str
    fields: tuple[tuple[str, str], ...]
    snippet_field: str

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def index_name(self) -> str:
        return f"{self.table.split('_', 1)[1]}_search_idx"

    def _text(self, name: str):
        return Left(name, BODY_CHARS) if name == "body" else F(name)

    def vector(self) -> SearchVector:
        """The weighted tsvector, as an expression (compiled into the column)."""
        combined = None
        for name, weight in self.fields:
            part = SearchVector(self._text(name), weight=weight, config=SEARCH_CONFIG)
            combined = part if combined is None else combined + part
        return combined

    def snippet_source(self):
        return self._text(self.snippet_field)


CLAIMS = Document("claim", "claims_claim", (("statement", "A"), ("quote", "B")), "quote")
ARTICLES = Document("article", "claims_article", (("title", "A"), ("body", "C")), "body")
EVIDENCE = Document(
    "evidence", "claims_evidence", (("title", "A"), ("excerpt", "B"), ("note", "C")), "excerpt"
)
SOURCES = Document(
    "source",
    "claims_source",
    (("name", "A"), ("aliases", "B"), ("description", "C")),
    "description",
)
DOCUMENTS = (CLAIMS, ARTICLES, EVIDENCE, SOURCES)


# --- Database objects (used by the migration and by post_migrate on SQLite) ---


def _compiled(model, expression, schema_editor) -> str:
    """An expression as SQL with its parameters inlined and unqualified
    column names, as a generated column needs it."""
    query = Query(model, alias_cols=False)
    compiler = query.get_compiler(connection=schema_editor.connection)
    sql, params = expression.resolve_expression(query, allow_joins=False).as_sql(
        compiler, schema_editor.connection
    )
    return sql % tuple(schema_editor.quote_value(p) for p in params)


def postgres_create(document: Document, model, schema_editor) -> None:
    vector = _compiled(model, document.vector(), schema_editor)
    schema_editor.execute(
        f"ALTER TABLE {document.table} ADD COLUMN {VECTOR_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX {document.index_name} ON {document.table} USING gin ({VECTOR_COLUMN})"
    )


def postgres_drop(document: Document, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {document.index_name}")
    schema_editor.execute(f"ALTER TABLE {document.table} DROP COLUMN IF EXISTS {VECTOR_COLUMN}")


def _sqlite_triggers(document: Document) -> list[str]:
    table, fts = document.table, document.fts_table
    columns = [name for name, _ in document.fields]
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "  # noqa: S608
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "  # noqa: S608
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "  # noqa: S608
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def sqlite_ensure(cursor) -> list[str]:
    """Create the FTS5 tables and their triggers where missing, and rebuild an
    index whose triggers were missing (Django rebuilds a SQLite table for
    some schema changes, which drops its triggers). Returns what was rebuilt."""
    rebuilt = []
    for document in DOCUMENTS:
        fts = document.fts_table
        existing = {
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                [fts, f"{fts}_ai", f"{fts}_ad", f"{fts}_au"],
            ).fetchall()
        }
        cols = ", ".join(name for name, _ in document.fields)
        if fts not in existing:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{document.table}', "
                "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
            )
        for statement in _sqlite_triggers(document):
            cursor.execute(statement)
        if len(existing) < 4:
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
            rebuilt.append(fts)
    return rebuilt


def sqlite_drop(cursor) -> None:
    for document in DOCUMENTS:
        fts = document.fts_table
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {fts}")


# --- Queries ----------------------------------------------------------------


class StoredVector(Expression):
    """The stored search_vector column of the query's base table."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{VECTOR_COLUMN}", []

    def get_group_by_cols(self):
        return [self]


def clean_query(text: str) -> str:
    """The user's words, without control characters, at most MAX_QUERY_CHARS."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text or "")
    return " ".join(text.split())[:MAX_QUERY_CHARS]


_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def fts5_query(text: str) -> str:
    """Web-search syntax ("a phrase", -excluded, or) as an FTS5 expression in
    which every term is quoted, so no input is an FTS5 syntax error."""
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    for match in _TERM.finditer(text):
        minus = match.group(1) or match.group(3)
        words = match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(4) and match.group(4).lower() == "or" and positive:
            pending_or = True
            continue
        tokens = re.findall(r"\w+", words)
        if not tokens:
            continue
        term = '"' + " ".join(tokens) + '"'
        if minus:
            negative.append(term)
        elif pending_or:
            positive[-1] = f"({positive[-1]} OR {term})"
            pending_or = False
        else:
            positive.append(term)
    if not positive:
        return ""
    expression = " AND ".join(positive)
    for term in negative:
        expression = f"({expression}) NOT {term}"
    return expression


def _pg_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def matching(queryset: QuerySet, document: Document, text: str) -> QuerySet:
    """The rows whose text matches the query (an empty query matches nothing)."""
    text = clean_query(text)
    if is_postgres():
        if not text:
            return queryset.none()
        return queryset.filter(SearchVectorExact(StoredVector(), _pg_query(text)))
    expression = fts5_query(text)
    if not expression:
        return queryset.none()
    fts = document.fts_table
    return queryset.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [expression])  # noqa: S608, S611
    )


def with_rank(queryset: QuerySet, document: Document, text: str) -> QuerySet:
    """Rows annotated with `rank`, their relevance to the query (higher is
    more relevant). Apply it to a bounded set of matching rows: ranking
    reads every row it is given."""
    text = clean_query(text)
    if is_postgres():
        return queryset.annotate(rank=SearchRank(StoredVector(), _pg_query(text)))
    fts = document.fts_table
    weights = ", ".join(str(BM25_WEIGHTS[w]) for _, w in document.fields)
    return queryset.annotate(
        rank=RawSQL(  # noqa: S611
            f"(SELECT -bm25({fts}, {weights}) FROM {fts} "  # noqa: S608
            f"WHERE {fts} MATCH %s AND rowid = {document.table}.id)",
            [fts5_query(text)],
        )
    )


@dataclass(frozen=True)
class Piece:
    text: str
    hit: bool = False


def _pieces(marked: str) -> list[Piece]:
    pieces = []
    for i, part in enumerate(re.split(f"[{START_SEL}{STOP_SEL}]", marked)):
        if part:
            pieces.append(Piece(part, hit=i % 2 == 1))
    return pieces


def snippets(
    model, document: Document, ids: Iterable[int], text: str, *, words: int = 30
) -> dict[int, list[Piece]]:
    """Highlighted snippets of the given rows (one query, for one page of
    results): pieces of text, the matched words marked `hit`. The template
    escapes every piece, so no markup from the text can get through."""
    ids = list(ids)
    text = clean_query(text)
    if not ids or not text:
        return {}
    if is_postgres():
        rows = (
            model.objects.filter(pk__in=ids)
            .annotate(
                snippet=SearchHeadline(
                    document.snippet_source(),
                    _pg_query(text),
                    config=SEARCH_CONFIG,
                    start_sel=START_SEL,
                    stop_sel=STOP_SEL,
                    max_words=words,
                    min_words=max(5, words // 3),
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "snippet")
        )
    else:
        fts = document.fts_table
        column = [name for name, _ in document.fields].index(document.snippet_field)
        placeholders = ", ".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({fts}, {column}, %s, %s, ' … ', %s) FROM {fts} "  # noqa: S608
                f"WHERE {fts} MATCH %s AND rowid IN ({placeholders})",
                [START_SEL, STOP_SEL, min(words, 64), fts5_query(text), *ids],
            )
            rows = cursor.fetchall()
    return {pk: _pieces(snippet or "") for pk, snippet in rows}


class ILike(Lookup):
    """`field ILIKE pattern`: unlike Django's icontains (UPPER(field) LIKE ...)
    a trigram index on the field can serve it."""

    lookup_name = "ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def similar_names(queryset: QuerySet, field: str, text: str) -> QuerySet:
    """Rows whose `field` contains the text, or a word spelled like it, on
    PostgreSQL both served by the field's trigram index (article titles,
    source names); on SQLite, rows that contain it."""
    text = clean_query(text)
    if not text:
        return queryset.none()
    if is_postgres():
        return queryset.filter(
            Q(ILike(F(field), Value(_like_pattern(text))))
            | Q(**{f"{field}__trigram_word_similar": text})
        )
    return queryset.filter(**{f"{field}__icontains": text})
