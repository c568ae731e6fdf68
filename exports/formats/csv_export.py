"""CSV: one row per claim, RFC 4180 (comma, double quotes, CRLF), UTF-8 with
a byte order mark so spreadsheets read the charset, a header row, streamed
chunk by chunk.

Formula cells (CSV injection): a spreadsheet evaluates a cell as a formula
when it starts with "=", "@", or "+" / "-" followed by something that is not
a number or plain text. Only those cells are written with a leading
apostrophe (which spreadsheets show as text and never evaluate); every other
value is written exactly as stored. The rule, on the cell after any leading
spaces, tabs and carriage returns:

* "=" followed by anything, or "@" followed by anything but a space: a
  formula (Excel treats both as one);
* "+" or "-" followed by a function call (a name then "("), a cell or range
  reference (A1, $B$2, A1:B9), a sheet or DDE reference ("!", "|"), an
  opening parenthesis, another "=", "+", "-", "@", or arithmetic on numbers
  ("-2+3"): a formula;
* anything else is data: "-12%", "-5 °C", "+972 Magazine", "+44 20 7946 0000",
  "- a list item", "@ noon" stay as they are.

So the only values that change are those a spreadsheet would have run, and
each changes by one leading apostrophe."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from claims.models import Evidence
from exports.context import (
    Anchors,
    ExportContext,
    batches,
    figure_scope,
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
    # Each figure's scope, one value per figure in the order of "figures", joined by "; ".
    "figure_values",
    "figure_qualifiers",
    "figure_outcomes",
    "figure_populations",
    "figure_subgroups",
    "figure_places",
    "figure_as_of",
    "figure_periods",
    "figure_bases",
    "figure_part_of",
]


BOM = "\ufeff"


# After a leading + or -: what makes the rest a formula rather than a number
# or text (see the module docstring).
_FORMULA_AFTER_SIGN = re.compile(
    r"""
    [A-Za-z_][\w.]*\s*\(            # a function call: SUM(, HYPERLINK(, cmd(
    | (?<![\w.])\$?[A-Za-z]{1,3}\$?\d+(?![\w.])   # a cell reference: A1, $B$2
    | [!|]                            # a sheet (Sheet1!A1) or DDE (cmd|' /C calc'!A0) reference
    | ^\s*[(=+\-@]                    # a parenthesis, or another operator
    | ^\s*[\d.]+(?:\s*[-+*/^]\s*[\d.]+)+\s*$   # arithmetic on numbers: -2+3, +6/2
    """,
    re.VERBOSE,
)


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would evaluate this cell as a formula."""
    stripped = text.lstrip(" \t\r\n")
    if len(stripped) < 2:
        return False
    first, rest = stripped[0], stripped[1:]
    if first == "=":
        return bool(rest.strip())
    if first == "@":
        return not rest[0].isspace()
    if first in "+-":
        return bool(_FORMULA_AFTER_SIGN.search(rest))
    return False


def neutralise(value) -> str:
    """The cell as text: unchanged, or with a leading apostrophe when a
    spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula(text) else text


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
        pseudonyms.url(article.url),
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
        *_scope_cells([figure_scope(f) for f in claim.figures.all()]),
    ]


def _scope_cells(scopes: list[dict]) -> list[str]:
    def cells(render) -> str:
        return "; ".join(render(s) for s in scopes)

    return [
        cells(lambda s: f"{s['value']}-{s['value_high']}" if s["value_high"] else s["value"]),
        cells(lambda s: s["qualifier"]),
        cells(lambda s: s["outcome"]),
        cells(lambda s: s["population"]),
        cells(lambda s: ", ".join(s["subgroups"])),
        cells(lambda s: s["place"]),
        cells(lambda s: s["as_of"]),
        cells(lambda s: f"{s['period_start']}/{s['period_end']}" if s["period_end"] else ""),
        cells(lambda s: s["basis"]),
        cells(lambda s: str(s["part_of"] or "")),
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
    yield BOM + flush()
    anchors = Anchors(ctx.pseudonyms)
    done = 0
    for batch in batches(claims_for_csv(ctx.scope)):
        anchors.load(batch)
        for claim in batch:
            writer.writerow([neutralise(cell) for cell in _row(ctx, claim, anchors)])
        done += len(batch)
        yield flush()
        ctx.report_progress(done)
