"""schema.org ClaimReview (JSON-LD) for the approved claims of a scope: the
markup fact-checkers publish so search engines and aggregators can read their
verdicts. https://schema.org/ClaimReview

JSON Lines: one complete ClaimReview per line, each with its own @context, so
each goes into the page that publishes that review (a page carries one).

* claimReviewed: the claim's short summary (at most 75 characters), else its
  statement (or quote) shortened to 75 at a word; it restates the claim
  without judging it.
* reviewRating: alternateName (the verdict's label) and name always; a
  numeric ratingValue on a 1-5 scale only for verdicts that say how true the
  claim is: corroborated 5, partly corroborated 3, contradicted 1. Unverified
  and contested are not rated: no number, so no reader takes them for "half
  true" (the 3 of 5 that "unverified" used to be).
* url: omitted. It must be the public page that publishes the review, and the
  workbench has none (its claim pages need a login): each review says so in
  creativeWorkStatus, and the publisher adds url when it publishes. The
  review's @id is under the public address (WORKBENCH_PUBLIC_BASE_URL).
* itemReviewed.author: a Person for witnesses, an Organization for every other
  kind of source (groups, ministries, outlets), pseudonymised or not.
* itemReviewed.appearance: the article, with its url only when it has a public
  one (never the workbench's page).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from claims.models import Claim, Source
from claims.models.claim import SUMMARY_MAX_LENGTH
from exports.context import (
    Anchors,
    ExportContext,
    batches,
    figure_place,
    figure_scope_text,
    figure_text,
    iso,
)
from exports.selectors import claims_for_claimreview

CONTENT_TYPE = "application/x-ndjson; charset=utf-8"


EXTENSION = "jsonl"


CLAIM_REVIEWED_MAX = SUMMARY_MAX_LENGTH


BEST_RATING, WORST_RATING = 5, 1


# The explicit mapping; None: not rated (no numeric value is published).
RATINGS: dict[str, int | None] = {
    Claim.Verdict.CORROBORATED: 5,
    Claim.Verdict.PARTLY_CORROBORATED: 3,
    Claim.Verdict.CONTRADICTED: 1,
    Claim.Verdict.CONTESTED: None,
    Claim.Verdict.UNVERIFIED: None,
}


# Sources that are people; every other kind is published as an organisation.
PERSON_KINDS = {Source.Kind.WITNESS}


DRAFT_STATUS = (
    "Draft: no public review page yet, so no url; the publisher adds url (the page "
    "that publishes this review) before publishing it."
)


def shorten(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    """The text on one line, cut at a word to at most `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def rating(claim: Claim, ctx: ExportContext) -> dict[str, Any]:
    verdict = claim.verdict or Claim.Verdict.UNVERIFIED
    label = Claim.Verdict(verdict).label
    value = RATINGS[verdict]
    result: dict[str, Any] = {"@type": "Rating", "alternateName": label}
    if value is None:
        result["name"] = f"{label}: not rated on a scale"
    else:
        result["name"] = f"{label} ({value} of {BEST_RATING})"
        result.update(ratingValue=value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    explanation = ctx.pseudonyms.text(claim.rationale)
    if explanation:
        result["ratingExplanation"] = explanation
    return result


def _figure_coverage(claim: Claim, pseudonyms) -> dict[str, Any]:
    """What the claim's figures count, where and when, as schema.org allows on a
    Claim (a CreativeWork): the figures with their scope as its `text`, their
    places as `spatialCoverage`, their dates or periods as `temporalCoverage`
    (ISO 8601, a period as start/end)."""
    figures = list(claim.figures.all())
    if not figures:
        return {}
    coverage: dict[str, Any] = {
        "text": "; ".join(
            f"{pseudonyms.text(figure_text(f))} ({figure_scope_text(f)})" for f in figures
        )
    }
    places = []
    for figure in figures:
        name = figure_place(figure)
        if name and name not in places:
            places.append(name)
    if places:
        spatial = [{"@type": "Place", "name": name} for name in places]
        coverage["spatialCoverage"] = spatial[0] if len(spatial) == 1 else spatial
    times = []
    for f in figures:
        if f.period_start and (f.period_end or f.as_of):
            text = f"{f.period_start.isoformat()}/{(f.period_end or f.as_of).isoformat()}"
        elif f.as_of or f.period_end:
            text = (f.as_of or f.period_end).isoformat()
        else:
            continue
        if text not in times:
            times.append(text)
    if times:
        coverage["temporalCoverage"] = times[0] if len(times) == 1 else times
    return coverage


def claim_review(ctx: ExportContext, claim: Claim, quote: str) -> dict[str, Any]:
    pseudonyms = ctx.pseudonyms
    article = claim.article
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        "headline": pseudonyms.text(article.title),
    }
    # An address that names a protected source is withheld (F2).
    if pseudonyms.url(article.url):
        appearance["url"] = pseudonyms.url(article.url)
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
            "@type": "Person" if claim.source.kind in PERSON_KINDS else "Organization",
            "name": pseudonyms.source_name(claim.source_id, claim.source.name),
        },
        "appearance": appearance,
    }
    if article.published_on:
        item_reviewed["datePublished"] = article.published_on.isoformat()
    item_reviewed.update(_figure_coverage(claim, pseudonyms))
    reviewed = pseudonyms.text(claim.summary) or pseudonyms.text(claim.statement) or quote
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "@id": ctx.claim_url(claim.pk) + "#claimreview",
        "creativeWorkStatus": DRAFT_STATUS,
        "claimReviewed": shorten(reviewed),
        "datePublished": (claim.approved_at or claim.updated_at).date().isoformat(),
        "dateModified": iso(claim.updated_at),
        "author": {"@type": "Organization", "name": ctx.workspace_name},
        "reviewRating": rating(claim, ctx),
        "itemReviewed": item_reviewed,
    }


def generate(ctx: ExportContext) -> Iterator[str]:
    anchors = Anchors(ctx.pseudonyms)
    done = 0
    for batch in batches(claims_for_claimreview(ctx.scope)):
        anchors.load(batch)
        lines = [
            json.dumps(claim_review(ctx, claim, anchors.of(claim).quote), ensure_ascii=False) + "\n"
            for claim in batch
        ]
        done += len(batch)
        yield "".join(lines)
        ctx.report_progress(done)
