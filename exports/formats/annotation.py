"""W3C Web Annotation (JSON-LD): each claim an annotation on its article, so
annotation tools can load and re-anchor them. https://www.w3.org/TR/annotation-model/

The file is an AnnotationCollection whose first page embeds every annotation;
each annotation also carries its own @context, so it stands alone when split.
The target's source is the article's URL (or its workbench page when it has
none) with a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector (start, end in code points of the article text).

With protected sources pseudonymised, exact/prefix/suffix show the pseudonym,
so such an annotation re-anchors on the original text by position only; the
positions always refer to the original text at `source`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from claims.models import Claim
from exports.context import Anchors, ExportContext, batches, iso, source_label, username
from exports.selectors import claims_for_annotation

CONTENT_TYPE = "application/ld+json; charset=utf-8"


EXTENSION = "jsonld"


ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


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


def annotation(ctx: ExportContext, claim: Claim, anchors: Anchors) -> dict[str, Any]:
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
        "created": iso(claim.created_at),
        "modified": iso(claim.updated_at),
        "body": body,
        "target": {
            "source": article.url or ctx.article_url(article.pk),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": anchor.quote,
                    "prefix": anchor.prefix,
                    "suffix": anchor.suffix,
                },
                {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            ],
        },
    }
    if claim.created_by_id:
        result["creator"] = {"type": "Person", "nickname": username(claim.created_by)}
    return result


def generate(ctx: ExportContext) -> Iterator[str]:
    header = {
        "@context": ANNO_CONTEXT,
        "id": ctx.absolute(reverse("export_list", args=[ctx.workspace.slug])) + "#annotations",
        "type": "AnnotationCollection",
        "label": f"Claims of {ctx.workspace_name}: {ctx.scope_label}",
        "total": ctx.claim_count,
    }
    opening = json.dumps(header, ensure_ascii=False)[:-1]
    yield opening + ', "first": {"type": "AnnotationPage", "items": ['
    anchors = Anchors(ctx.pseudonyms)
    first = True
    done = 0
    for batch in batches(claims_for_annotation(ctx.scope)):
        anchors.load(batch)
        pieces = []
        for claim in batch:
            item = json.dumps(annotation(ctx, claim, anchors), ensure_ascii=False)
            pieces.append(("\n" if first else ",\n") + item)
            first = False
        done += len(batch)
        yield "".join(pieces)
        ctx.report_progress(done)
    yield "\n]}}\n"
