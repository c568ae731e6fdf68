"""CSV: one row per claim, UTF-8 with a header, streamed chunk by chunk.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return
that hides one) as a formula: such cells get a leading apostrophe, which
spreadsheets show as text and never evaluate (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from claims.models import Evidence
from exports.context import (
    Anchors,
    ExportContext,
    batches,
    figure_text,
    iso,
    source_label,
    username,
)
from exports.selectors import claims_for_csv

CONTENT_TYPE = "text/csv; charset=utf-8"


EXTENSION = "csv"


HEADER = [
    "claim_id",
    "article_id",
    "article_title",
    "article_url",
    "quote",
    "statement",
    "source",
    "source_kind",
    "source_reliability",
    "attribution_chain",
    "kind",
    "figures",
    "status",
    "verdict",
    "credibility",
    "evidence_corroborates",
    "evidence_contradicts",
    "evidence_context",
    "analyst",
    "proposed_by",
    "proposed_at",
    "reviewer",
    "approved_at",
    "created_at",
    "updated_at",
    "url",
]


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _row(ctx: ExportContext, claim, anchors: Anchors) -> list[str]:
    pseudonyms = ctx.pseudonyms
    stances = [e.stance for e in claim.evidence.all()]
    chain = [source_label(pseudonyms, claim.source)]
    chain += [source_label(pseudonyms, via.source) for via in claim.intermediaries.all()]
    article = claim.article
    return [
        claim.pk,
        article.pk,
        pseudonyms.text(article.title),
        article.url,
        anchors.of(claim).quote,
        pseudonyms.text(claim.statement),
        source_label(pseudonyms, claim.source),
        claim.source.kind,
        claim.source.reliability,
        " > ".join(chain),
        claim.kind,
        "; ".join(pseudonyms.text(figure_text(f)) for f in claim.figures.all()),
        claim.status,
        claim.verdict,
        claim.credibility,
        stances.count(Evidence.Stance.CORROBORATES),
        stances.count(Evidence.Stance.CONTRADICTS),
        stances.count(Evidence.Stance.CONTEXT),
        username(claim.created_by),
        username(claim.proposed_by),
        iso(claim.proposed_at) or "",
        username(claim.approved_by),
        iso(claim.approved_at) or "",
        iso(claim.created_at),
        iso(claim.updated_at),
        ctx.claim_url(claim.pk),
    ]


def generate(ctx: ExportContext) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(HEADER)
    yield flush()
    anchors = Anchors(ctx.pseudonyms)
    done = 0
    for batch in batches(claims_for_csv(ctx.scope)):
        anchors.load(batch)
        for claim in batch:
            writer.writerow([neutralise(cell) for cell in _row(ctx, claim, anchors)])
        done += len(batch)
        yield flush()
        ctx.report_progress(done)
