"""schema.org ClaimReview (JSON-LD, one review per line) for approved claims:
the properties schema.org and Google's fact-check guidelines require and
recommend, rating bounds, no private page, and a short claimReviewed."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, Source
from exports.formats.claimreview import BEST_RATING, RATINGS, WORST_RATING, shorten
from tests.exports.world import export_bytes, with_workflow

PRIVATE = "http://testserver/"


def _reviews(world, user, **kwargs) -> list[dict]:
    data = export_bytes(workspace=world.workspace, actor=user, format="claimreview", **kwargs)
    lines = data.decode("utf-8").splitlines()
    return [json.loads(line) for line in lines]  # each line one JSON-LD document


def assert_publishable(review: dict) -> None:
    """Required: claimReviewed, reviewRating with alternateName, author;
    recommended: itemReviewed (a Claim with author, appearance, datePublished),
    datePublished; url only ever a public page (none yet: absent, and said)."""
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert 0 < len(review["claimReviewed"]) <= 75
    datetime.date.fromisoformat(review["datePublished"])
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] and rating["name"]
    if "ratingValue" in rating:
        assert (rating["worstRating"], rating["bestRating"]) == (WORST_RATING, BEST_RATING)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    else:
        assert "bestRating" not in rating and "worstRating" not in rating
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["@type"] in ("Organization", "Person") and item["author"]["name"]
    assert item["appearance"]["@type"] == "CreativeWork"
    assert "url" not in review
    assert "url" in review["creativeWorkStatus"]
    assert PRIVATE not in json.dumps({k: v for k, v in review.items() if k != "@id"})


def test_it_writes_one_review_per_line_for_approved_claims_only(world, analyst):
    reviews = _reviews(world, analyst)
    assert len(reviews) == 1
    assert_publishable(reviews[0])
    assert reviews[0]["@id"] == f"{PRIVATE}w/desk-a/claims/{world.figure_claim.pk}/#claimreview"


def test_it_carries_the_verdict_in_the_rating_not_in_the_claim(world, analyst):
    review = _reviews(world, analyst)[0]
    rating = review["reviewRating"]
    assert (rating["alternateName"], rating["ratingValue"]) == ("Corroborated", 5)
    assert rating["name"] == "Corroborated (5 of 5)"
    assert rating["ratingExplanation"].startswith("Two independent counts agree")
    assert "corroborat" not in review["claimReviewed"].lower()


@pytest.mark.parametrize(
    ("verdict", "value"),
    [
        ("corroborated", 5),
        ("partly_corroborated", 3),
        ("contradicted", 1),
        ("contested", None),
        ("unverified", None),
        ("", None),
    ],
)
def test_the_rating_scale_never_reads_unverified_as_half_true(
    world, analyst, reviewer, verdict, value
):
    with_workflow(
        world.figure_claim,
        status=Claim.Status.APPROVED,
        verdict=verdict,
        rationale="r",
        proposed_by=analyst,
        approved_by=reviewer,
    )
    review = _reviews(world, analyst)[0]
    assert_publishable(review)
    rating = review["reviewRating"]
    assert rating.get("ratingValue") == value
    if value is None:
        assert rating["alternateName"] == (
            Claim.Verdict(verdict).label if verdict else "Unverified"
        )
        assert "not rated" in rating["name"]


def test_every_verdict_has_an_explicit_mapping():
    assert set(RATINGS) == set(Claim.Verdict.values)


def test_claim_reviewed_is_the_summary_or_a_short_statement(world, analyst):
    Claim.objects.filter(pk=world.figure_claim.pk).update(
        statement="More than one thousand people were killed in the coastal violence of March, "
        "a monitoring group said, among them 745 civilians"
    )
    reviewed = _reviews(world, analyst)[0]["claimReviewed"]
    assert len(reviewed) <= 75 and reviewed.endswith("…")
    assert reviewed.startswith("More than one thousand people were killed")
    Claim.objects.filter(pk=world.figure_claim.pk).update(summary="Over 1,000 killed on the coast")
    assert _reviews(world, analyst)[0]["claimReviewed"] == "Over 1,000 killed on the coast"


def test_shorten_cuts_at_a_word():
    assert shorten("a " * 10) == "a a a a a a a a a a"
    assert shorten("word " * 30, limit=12) == "word word…"


def test_it_types_the_author_by_the_sources_kind(world, analyst, reviewer):
    item = _reviews(world, analyst)[0]["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Monitoring Group"}
    assert item["appearance"]["url"] == "https://example.org/news/coast-clashes"
    assert item["datePublished"] == "2025-03-09"
    # A protected group is pseudonymised, and still an organisation.
    Source.objects.filter(pk=world.monitor.pk).update(protected=True)
    item = _reviews(world, analyst)[0]["itemReviewed"]
    assert item["author"]["@type"] == "Organization"
    assert item["author"]["name"].startswith("Witness ")


def test_it_pseudonymises_a_protected_witness_as_a_person(world, analyst, reviewer):
    with_workflow(
        world.witness_claim,
        status=Claim.Status.APPROVED,
        verdict=Claim.Verdict.CONTESTED,
        rationale="One account.",
        proposed_by=analyst,
        approved_by=reviewer,
    )
    reviews = _reviews(world, analyst)
    witness = next(r for r in reviews if f"/{world.witness_claim.pk}/" in r["@id"])
    assert witness["itemReviewed"]["author"] == {"@type": "Person", "name": "Witness A"}
    assert "ratingValue" not in witness["reviewRating"]
    assert_publishable(witness)


def test_an_article_without_a_public_url_has_no_appearance_url(world, analyst):
    type(world.article).objects.filter(pk=world.article.pk).update(url="")
    review = _reviews(world, analyst)[0]
    assert "url" not in review["itemReviewed"]["appearance"]
    assert_publishable(review)


def test_it_refuses_a_scope_without_approved_claims(world, analyst):
    with pytest.raises(ValidationError, match="no approved claims"):
        export_bytes(
            workspace=world.workspace,
            actor=analyst,
            format="claimreview",
            params={"status": ["new"]},
        )
