"""schema.org ClaimReview (JSON-LD) for the approved claims of a scope, the
markup fact-checkers publish so search engines and aggregators can read their
verdicts. https://schema.org/ClaimReview

claimReviewed restates the claim without judging it; the verdict travels in
reviewRating.alternateName, with a numeric rating from 5 (corroborated) to 1
(contradicted) and the rationale as ratingExplanation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from claims.models import Claim, Source
from exports.context import Anchors, ExportContext, batches, iso
from exports.selectors import claims_for_claimreview

CONTENT_TYPE = "application/ld+json; charset=utf-8"


EXTENSION = "jsonld"


CLAIM_REVIEWED_MAX = 200


RATINGS = {
    Claim.Verdict.CORROBORATED: 5,
    Claim.Verdict.PARTLY_CORROBORATED: 4,
    Claim.Verdict.UNVERIFIED: 3,
    Claim.Verdict.CONTESTED: 2,
    Claim.Verdict.CONTRADICTED: 1,
}


BEST_RATING, WORST_RATING = 5, 1


# Sources that are people; every other kind is published as an organisation.
PERSON_KINDS = {Source.Kind.WITNESS}


REQUIRED_FIELDS = ("@context", "@type", "claimReviewed", "reviewRating", "itemReviewed", "url")


def _short(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def claim_review(ctx: ExportContext, claim: Claim, quote: str) -> dict[str, Any]:
    pseudonyms = ctx.pseudonyms
    article = claim.article
    protected = pseudonyms.is_protected(claim.source_id)
    speaker_type = "Person" if protected or claim.source.kind in PERSON_KINDS else "Organization"
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": article.url or ctx.article_url(article.pk),
        "headline": pseudonyms.text(article.title),
    }
    if article.published_on:
        appearance["datePublished"] = article.published_on.isoformat()
    if article.outlet_id:
        appearance["publisher"] = {
            "@type": "Organization",
            "name": pseudonyms.source_name(article.outlet_id, article.outlet.name),
        }
    item_reviewed: dict[str, Any] = {
        "@type": "Claim",
        "author": {
            "@type": speaker_type,
            "name": pseudonyms.source_name(claim.source_id, claim.source.name),
        },
        "appearance": appearance,
    }
    if article.published_on:
        item_reviewed["datePublished"] = article.published_on.isoformat()
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": ctx.claim_url(claim.pk),
        "claimReviewed": _short(pseudonyms.text(claim.statement) or quote),
        "datePublished": (claim.approved_at or claim.updated_at).date().isoformat(),
        "dateModified": iso(claim.updated_at),
        "author": {"@type": "Organization", "name": ctx.workspace_name},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS.get(claim.verdict, RATINGS[Claim.Verdict.UNVERIFIED]),
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.get_verdict_display()
            if claim.verdict
            else Claim.Verdict.UNVERIFIED.label,
            "ratingExplanation": pseudonyms.text(claim.rationale),
        },
        "itemReviewed": item_reviewed,
    }


def generate(ctx: ExportContext) -> Iterator[str]:
    yield "["
    anchors = Anchors(ctx.pseudonyms)
    first = True
    done = 0
    for batch in batches(claims_for_claimreview(ctx.scope)):
        anchors.load(batch)
        pieces = []
        for claim in batch:
            review = claim_review(ctx, claim, anchors.of(claim).quote)
            pieces.append(("\n" if first else ",\n") + json.dumps(review, ensure_ascii=False))
            first = False
        done += len(batch)
        yield "".join(pieces)
        ctx.report_progress(done)
    yield "\n]\n"
