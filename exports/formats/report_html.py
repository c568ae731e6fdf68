"""The audit report as HTML, viewable in the browser and saved as one file.

ReportBuilder makes the report's records (cover facts, summary counts, one
record per claim, the chain verification); the HTML template and the PDF's
Typst template (report_pdf.py) both draw those same records. The template
(exports/report.html) is cut into partials so the report streams: the opening
and cover, one section per chunk of claims, then the verification and the
hash of the data shown. The stylesheet is inlined, so a saved copy opens
styled with no network; the page's CSP allows that one style by its hash
(`STYLE_CSP_SOURCE`)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from audit.checkpoints import checkpoint_sign_quietly
from audit.selectors import audit_verify_chain
from claims.models import Claim
from exports.context import (
    Anchors,
    ExportContext,
    batches,
    figure_scope,
    figure_scope_text,
    figure_text,
    source_label,
    username,
)
from exports.formats.bundle import IMPORTED_EVENT_KEY
from exports.selectors import claims_for_report, counts_by, history_for_claims

CONTENT_TYPE = "text/html; charset=utf-8"


EXTENSION = "html"


TEMPLATE = "exports/report.html"


# Read from the package, not from the static files: the report needs the
# file's content (inlined), which must not depend on DEBUG or collectstatic.
CSS_FILE = Path(__file__).resolve().parent.parent / "report.css"


CHART_WIDTH = 480


CHART_BAR_HEIGHT = 18


CHART_GAP = 6


CHART_LABEL_WIDTH = 150


NO_VERDICT_LABEL = "No verdict yet"


@cache
def report_css() -> str:
    css = CSS_FILE.read_text(encoding="utf-8")
    if "</" in css:  # would end the <style> element early
        raise ValueError(f"{CSS_FILE} must not contain '</'")
    return css


def style_csp_source() -> str:
    """The CSP source that allows the report's inline stylesheet and nothing else."""
    digest = hashlib.sha256(report_css().encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def bar_chart(rows: list[tuple[str, int]], *, title: str) -> dict[str, Any]:
    """Geometry of a horizontal bar chart, drawn as inline SVG by the template
    (attributes only, no style: the page's CSP forbids inline styles)."""
    top = max((n for _, n in rows), default=0) or 1
    bars_width = CHART_WIDTH - CHART_LABEL_WIDTH - 50
    bars = []
    for index, (label, n) in enumerate(rows):
        y = index * (CHART_BAR_HEIGHT + CHART_GAP)
        width = round(bars_width * n / top) if n else 0
        bars.append(
            {
                "label": label,
                "n": n,
                "y": y,
                "text_y": y + CHART_BAR_HEIGHT - 5,
                "x": CHART_LABEL_WIDTH,
                "width": max(width, 1 if n else 0),
                "value_x": CHART_LABEL_WIDTH + width + 6,
            }
        )
    return {
        "title": title,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(1, len(rows)) * (CHART_BAR_HEIGHT + CHART_GAP),
        "bar_height": CHART_BAR_HEIGHT,
        "label_x": CHART_LABEL_WIDTH - 8,
    }


def _summary(ctx: ExportContext) -> dict[str, Any]:
    by_status = counts_by(ctx.scope, "status")
    by_verdict = counts_by(ctx.scope, "verdict")
    statuses = [(label, by_status.get(value, 0)) for value, label in Claim.Status.choices]
    verdicts = [(label, by_verdict.get(value, 0)) for value, label in Claim.Verdict.choices]
    verdicts.append((NO_VERDICT_LABEL, by_verdict.get("", 0)))
    return {
        "statuses": statuses,
        "verdicts": verdicts,
        "status_chart": bar_chart(statuses, title="Claims by status"),
        "verdict_chart": bar_chart(verdicts, title="Claims by verdict"),
    }


def _changes(pseudonyms, changes: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for name, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            before, after = value
        else:
            before, after = None, value
        rows.append(
            {
                "field": name,
                "before": _short(pseudonyms.value(before)),
                "after": _short(pseudonyms.value(after)),
            }
        )
    return rows


def _short(value, limit: int = 300) -> str:
    if value is None or value == "" or value == []:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _claim_record(ctx: ExportContext, claim, anchor, history) -> dict[str, Any]:
    pseudonyms = ctx.pseudonyms
    article = claim.article
    chain = [source_label(pseudonyms, via.source) for via in claim.intermediaries.all()]
    outlet = source_label(pseudonyms, article.outlet)
    evidence = []
    for item in claim.evidence.all():
        snapshots = list(item.snapshots.all())
        evidence.append(
            {
                "stance": item.stance,
                "stance_label": item.get_stance_display(),
                "kind": item.get_kind_display(),
                "title": pseudonyms.text(item.title),
                "publisher": source_label(pseudonyms, item.publisher),
                "origin": source_label(pseudonyms, item.origin),
                "published_on": item.published_on.isoformat() if item.published_on else "",
                "url": pseudonyms.url(item.url),
                "url_withheld": bool(item.url) and not pseudonyms.url(item.url),
                # Two hashes, each named for what it covers: the WARC file a
                # download gives (sha256sum of it), and the archived page body.
                "warc_sha256": snapshots[0].warc_sha256 if snapshots else "",
                "payload_sha256": snapshots[0].sha256 if snapshots else "",
                "link_state": item.get_link_state_display(),
                "excerpt": pseudonyms.text(item.excerpt),
                "note": pseudonyms.text(item.note),
            }
        )
    return {
        "id": claim.pk,
        "url": ctx.claim_url(claim.pk),
        "article": {
            "id": article.pk,
            "title": pseudonyms.text(article.title),
            "url": pseudonyms.url(article.url),
            "url_withheld": bool(article.url) and not pseudonyms.url(article.url),
            "published_on": article.published_on.isoformat() if article.published_on else "",
        },
        "kind": claim.kind,
        "kind_label": claim.get_kind_display(),
        "status": claim.status,
        "status_label": claim.get_status_display(),
        "verdict": claim.verdict,
        "verdict_label": claim.get_verdict_display() if claim.verdict else NO_VERDICT_LABEL,
        "credibility": claim.get_credibility_display(),
        "quote": anchor.quote,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "offsets": [claim.start, claim.end],
        "statement": pseudonyms.text(claim.statement),
        "source": {
            "name": source_label(pseudonyms, claim.source),
            "kind": claim.source.get_kind_display(),
            "reliability": claim.source.reliability,
            "reliability_label": claim.source.get_reliability_display(),
            "pseudonymised": pseudonyms.is_protected(claim.source_id),
        },
        "chain": [source_label(pseudonyms, claim.source), *chain, outlet or "this article"],
        # Each figure with its scope (outcome, population, place, basis, time) in
        # words, for every engine that prints this record as text...
        "figures": [
            f"{pseudonyms.text(figure_text(f))} ({figure_scope_text(f)})"
            for f in claim.figures.all()
        ],
        # ... and as fields, for a template that sets them apart.
        "figure_scopes": [
            {**figure_scope(f), "text": pseudonyms.text(figure_text(f))}
            for f in claim.figures.all()
        ],
        "evidence": evidence,
        "rationale": pseudonyms.text(claim.rationale),
        "dismissed_reason": pseudonyms.text(claim.dismissed_reason),
        "proposed_by": username(claim.proposed_by),
        "proposed_at": when(claim.proposed_at),
        "approved_by": username(claim.approved_by),
        "approved_at": when(claim.approved_at),
        "reviews": [
            {
                "decision": review.get_decision_display(),
                "reviewer": username(review.reviewer),
                "verdict": review.verdict,
                "comment": pseudonyms.text(review.comment),
                "at": when(review.created_at),
                "voided": when(review.voided_at),
            }
            for review in claim.reviews.all()
        ],
        "history": [_history_entry(pseudonyms, event) for event in history],
    }


def _history_entry(pseudonyms, event) -> dict[str, Any]:
    """One line of a claim's history. An event restored from an imported
    bundle shows the original event it carries, marked as imported."""
    original = (event.changes or {}).get(IMPORTED_EVENT_KEY)
    if isinstance(original, dict) and set(event.changes) == {IMPORTED_EVENT_KEY}:
        return {
            "sequence": event.sequence,
            "at": str(original.get("created_at", ""))[:19].replace("T", " ") + " UTC",
            "actor": original.get("actor_name", ""),
            "action": f"{original.get('action', '')} (imported history, original #"
            f"{original.get('sequence', '?')})",
            "object": original.get("object_type", ""),
            "changes": _changes(pseudonyms, original.get("changes") or {}),
            "hash": original.get("hash", ""),
        }
    return {
        "sequence": event.sequence,
        "at": when(event.created_at),
        "actor": event.actor_name,
        "action": event.get_action_display(),
        "object": event.object_type,
        "changes": _changes(pseudonyms, event.changes),
        "hash": event.hash,
    }


class ReportBuilder:
    """The report's records, piece by piece: `head()` (cover and summary),
    `record_batches()` (claim records per chunk, each folded into the data
    hash), then `verification()`. `opening()`, `claims()` and `closing()` draw
    them as HTML."""

    def __init__(self, ctx: ExportContext, *, batch_size: int | None = None):
        self.ctx = ctx
        self.batch_size = batch_size
        self.data_hash = hashlib.sha256()
        self.shown = 0
        self.chain = None
        self.checkpoint = None

    def _context(self, **extra) -> dict[str, Any]:
        ctx = self.ctx
        return {
            "workspace_name": ctx.workspace_name,
            "workspace_slug": ctx.workspace.slug,
            "scope_label": ctx.scope_label,
            "exported_at": when(ctx.exported_at),
            "exported_by": ctx.actor_name,
            "include_real_names": ctx.include_real_names,
            "pseudonymised_count": len(ctx.pseudonyms.labels),
            "claim_count": ctx.claim_count,
            "report_css": mark_safe(report_css()),
            **extra,
        }

    def head(self) -> dict[str, Any]:
        """Cover facts and summary counts; verifies the audit chain (shown at the end)."""
        self.chain = audit_verify_chain(self.ctx.workspace)
        # The chain head, signed and logged outside the database, printed on
        # the report: a later rewrite of history contradicts it (F10).
        self.checkpoint = checkpoint_sign_quietly(self.ctx.workspace)
        return self._context(summary=_summary(self.ctx))

    def record_batches(self) -> Iterator[list[dict[str, Any]]]:
        """The claim records, one list per chunk of claims."""
        anchors = Anchors(self.ctx.pseudonyms)
        for batch in batches(claims_for_report(self.ctx.scope), self.batch_size):
            anchors.load(batch)
            evidence_owner = {e.pk: c.pk for c in batch for e in c.evidence.all()}
            histories: dict[int, list] = defaultdict(list)
            events = history_for_claims(
                workspace=self.ctx.workspace,
                claim_ids=[c.pk for c in batch],
                evidence_ids=evidence_owner,
            )
            for event in events:
                owner = (
                    int(event.object_id)
                    if event.object_type == "claim"
                    else evidence_owner.get(int(event.object_id))
                )
                histories[owner].append(event)
            records = [
                _claim_record(self.ctx, claim, anchors.of(claim), histories[claim.pk])
                for claim in batch
            ]
            for record in records:
                self.data_hash.update(
                    json.dumps(
                        record, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder
                    ).encode("utf-8")
                )
                self.data_hash.update(b"\n")
            self.shown += len(records)
            yield records
            self.ctx.report_progress(self.shown)

    def verification(self) -> dict[str, Any]:
        """The chain verification and the hash of every record shown; recorded
        with the export."""
        data_sha256 = self.data_hash.hexdigest()
        self.ctx.facts["data_sha256"] = data_sha256
        chain = self.chain
        if chain is not None:
            self.ctx.facts["chain_ok"] = chain.ok
            self.ctx.facts["chain_events_checked"] = chain.events_checked
        checkpoint = self.checkpoint
        if checkpoint is not None:
            self.ctx.facts["checkpoint"] = checkpoint.payload() | {
                "key": checkpoint.key,
                "sig": checkpoint.signature,
            }
        return {
            "ok": bool(chain and chain.ok),
            "problem": (chain.problem or "") if chain else "",
            "events_checked": chain.events_checked if chain else 0,
            "first_hash": (chain.first_hash or "") if chain else "",
            "last_hash": (chain.last_hash or "") if chain else "",
            "shown": self.shown,
            "data_sha256": data_sha256,
            "checkpoint": {
                "events": checkpoint.events,
                "head": checkpoint.head,
                "at": checkpoint.at_display,
                "key": checkpoint.key,
                "signature": checkpoint.signature,
            }
            if checkpoint
            else None,
        }

    # ---------------------------------------------------------------- as HTML
    def opening(self) -> str:
        html = render_to_string(f"{TEMPLATE}#report_open", self._context())
        return html + render_to_string(f"{TEMPLATE}#report_cover", self.head())

    def claims(self) -> Iterator[str]:
        for records in self.record_batches():
            yield render_to_string(f"{TEMPLATE}#report_claims", self._context(claims=records))

    def closing(self) -> str:
        verification = self.verification()
        html = render_to_string(
            f"{TEMPLATE}#report_verification",
            self._context(
                chain=self.chain,
                checkpoint=self.checkpoint,
                data_sha256=verification["data_sha256"],
                shown=verification["shown"],
            ),
        )
        return html + render_to_string(f"{TEMPLATE}#report_close", self._context())


def generate(ctx: ExportContext) -> Iterator[str]:
    builder = ReportBuilder(ctx)
    yield builder.opening()
    yield from builder.claims()
    yield builder.closing()
