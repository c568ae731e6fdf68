"""W3C Web Annotation (JSON-LD): each claim an annotation on its article, so
annotation tools can load and re-anchor them. https://www.w3.org/TR/annotation-model/

The file is an AnnotationCollection (id, label, total) whose first and only
AnnotationPage (id, partOf the collection, startIndex 0) embeds every
annotation; each annotation also carries its own @context, so it stands
alone when split. Ids are under the workbench's public address
(WORKBENCH_PUBLIC_BASE_URL). The context is the current
http://www.w3.org/ns/anno.jsonld (since 2021 it defines "assessing", the
purpose our verdict bodies use).

Target: a SpecificResource whose source is the article (its URL, or its
workbench page when it has none), with two selectors that select the same
text: a TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector
(start, end in code points), both on the article's text as the workbench
holds it (the body in a JSON bundle export).

Protected sources pseudonymised: where that changes an article's text, its
annotations target the pseudonymised text instead, identified by its SHA-256
as an RFC 6920 "ni:" URI (the same text, with that hash as body_sha256, is in
a JSON bundle exported with the same choice), and both selectors point into
that text; the collection's label and the source's label say so. The
original text's positions are never published next to a pseudonymised quote.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from claims.models import Claim
from exports.context import Anchors, ExportContext, batches, source_label, username
from exports.selectors import claims_for_annotation

CONTENT_TYPE = "application/ld+json; charset=utf-8"


EXTENSION = "jsonld"


ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


PSEUDONYMISED_NOTE = (
    "Protected sources are pseudonymised: annotations on an article whose text "
    "that changes target the pseudonymised text (an ni:///sha-256 URI: the SHA-256 "
    "of that text, which a JSON bundle exported with the same choice carries as the "
    "article's body), and their selectors point into that text."
)


def utc(value: datetime.datetime | None) -> str | None:
    """xsd:dateTime in UTC written with "Z", as the model requires."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ni_uri(text: str) -> str:
    """RFC 6920 named-information URI of a text (UTF-8), SHA-256."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def collection_id(ctx: ExportContext) -> str:
    page = ctx.absolute(reverse("export_list", args=[ctx.workspace.slug]))
    return f"{page}#annotations-{ctx.exported_at:%Y%m%dT%H%M%SZ}"


def _description(ctx: ExportContext, claim: Claim) -> str:
    pseudonyms = ctx.pseudonyms
    text = pseudonyms.text(claim.statement) or "(no statement)"
    parts = [
        f"{claim.get_kind_display()} claim attributed to {source_label(pseudonyms, claim.source)}"
        f" (reliability {claim.source.reliability}): {text}",
        f"Status: {claim.get_status_display()}.",
    ]
    if claim.verdict:
        parts.append(f"Verdict: {claim.get_verdict_display()}.")
    return " ".join(parts)


class Targets:
    """The source each claim's selectors point into, per article: the article
    itself, or its pseudonymised text when pseudonymising changed it."""

    def __init__(self, ctx: ExportContext, anchors: Anchors):
        self.ctx = ctx
        self.anchors = anchors
        self._sources: dict[int, Any] = {}

    def source(self, claim: Claim) -> Any:
        article = claim.article
        if article.pk not in self._sources:
            self._sources = {article.pk: self._source_for(article)}  # one article at a time
        return self._sources[article.pk]

    def _source_for(self, article) -> Any:
        # An address that names a protected source is withheld (F2).
        original = self.ctx.pseudonyms.url(article.url) or self.ctx.article_url(article.pk)
        shown = self.anchors.text_of(article.pk)
        if shown is None or hashlib.sha256(shown.encode("utf-8")).hexdigest() == (
            article.body_sha256
        ):
            return original
        return {
            "id": ni_uri(shown),
            "type": "Text",
            "format": "text/plain",
            "language": article.language or "en",
            "label": f"Text of “{self.ctx.pseudonyms.text(article.title)}” with protected "
            "names pseudonymised",
        }


def annotation(ctx: ExportContext, claim: Claim, anchors: Anchors, targets: Targets) -> dict:
    anchor = anchors.of(claim)
    article = claim.article
    body: list[dict[str, Any]] = [
        {
            "type": "TextualBody",
            "purpose": "describing",
            "format": "text/plain",
            "language": article.language or "en",
            "value": _description(ctx, claim),
        },
        {"type": "TextualBody", "purpose": "tagging", "value": f"claim:{claim.kind}"},
        {"type": "TextualBody", "purpose": "classifying", "value": f"status:{claim.status}"},
    ]
    if claim.verdict:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": claim.get_verdict_display(),
            }
        )
    result: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": ctx.claim_url(claim.pk) + "#annotation",
        "type": "Annotation",
        "motivation": "describing",
        "created": utc(claim.created_at),
        "modified": utc(claim.updated_at),
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": targets.source(claim),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": anchor.quote,
                    "prefix": anchor.prefix,
                    "suffix": anchor.suffix,
                },
                {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
            ],
        },
    }
    if claim.created_by_id:
        result["creator"] = {"type": "Person", "nickname": username(claim.created_by)}
    return result


def generate(ctx: ExportContext) -> Iterator[str]:
    collection = collection_id(ctx)
    page = f"{collection}-page-1"
    label = f"Claims of {ctx.workspace_name}: {ctx.scope_label}"
    if ctx.pseudonyms.active:
        label += ". " + PSEUDONYMISED_NOTE
    header = {
        "@context": ANNO_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": label,
        "created": utc(ctx.exported_at),
        "last": page,
    }
    opening = json.dumps(header, ensure_ascii=False)[:-1]
    first_page = {"id": page, "type": "AnnotationPage", "partOf": collection, "startIndex": 0}
    yield opening + ', "first": ' + json.dumps(first_page)[:-1] + ', "items": ['
    anchors = Anchors(ctx.pseudonyms)
    targets = Targets(ctx, anchors)
    done = 0
    for batch in batches(claims_for_annotation(ctx.scope)):
        anchors.load(batch)
        pieces = []
        for claim in batch:
            item = json.dumps(annotation(ctx, claim, anchors, targets), ensure_ascii=False)
            pieces.append(("\n" if done == 0 and not pieces else ",\n") + item)
        done += len(batch)
        yield "".join(pieces)
        ctx.report_progress(done)
    # The total comes last: it counts what was written.
    yield f'\n]}}, "total": {done}}}\n'
