"""schema.org ClaimReview (JSON-LD) for approved claims."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from tests.exports.world import export_bytes, export_json, with_workflow


def assert_valid_claim_review(review: dict) -> None:
    """The fields schema.org and the fact-check consumers (Google's
    ClaimReview guidelines) require, with their types."""
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"].startswith("http")
    assert 0 < len(review["claimReviewed"]) <= 200
    datetime.date.fromisoformat(review["datePublished"])
    assert review["author"]["@type"] in ("Organization", "Person") and review["author"]["name"]
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert rating["alternateName"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["@type"] in ("Organization", "Person") and item["author"]["name"]
    assert item["appearance"]["url"].startswith("http")


def test_it_reviews_only_approved_claims_with_the_required_fields(world, analyst):
    reviews = export_json(workspace=world.workspace, actor=analyst, format="claimreview")
    assert len(reviews) == 1
    assert_valid_claim_review(reviews[0])
    assert reviews[0]["url"] == f"http://testserver/w/desk-a/claims/{world.figure_claim.pk}/"


def test_it_carries_the_verdict_in_the_rating_not_in_the_claim(world, analyst):
    review = export_json(workspace=world.workspace, actor=analyst, format="claimreview")[0]
    rating = review["reviewRating"]
    assert (
        rating["alternateName"],
        rating["ratingValue"],
        rating["bestRating"],
        rating["worstRating"],
    ) == (
        "Corroborated",
        5,
        5,
        1,
    )
    assert rating["ratingExplanation"].startswith("Two independent counts agree")
    assert "corroborat" not in review["claimReviewed"].lower()


def test_it_names_the_source_and_where_the_claim_appeared(world, analyst):
    item = export_json(workspace=world.workspace, actor=analyst, format="claimreview")[0][
        "itemReviewed"
    ]
    assert item["author"] == {"@type": "Organization", "name": "Monitoring Group"}
    assert item["appearance"]["url"] == "https://example.org/news/coast-clashes"
    assert item["datePublished"] == "2025-03-09"


def test_it_pseudonymises_a_protected_author(world, analyst, reviewer):
    with_workflow(
        world.witness_claim,
        status=Claim.Status.APPROVED,
        verdict=Claim.Verdict.CONTESTED,
        rationale="One account.",
        proposed_by=analyst,
        approved_by=reviewer,
    )
    reviews = export_json(workspace=world.workspace, actor=analyst, format="claimreview")
    witness = next(r for r in reviews if r["url"].endswith(f"/{world.witness_claim.pk}/"))
    assert witness["itemReviewed"]["author"] == {"@type": "Person", "name": "Witness A"}
    assert witness["reviewRating"]["ratingValue"] == 2
    assert_valid_claim_review(witness)


def test_it_refuses_a_scope_without_approved_claims(world, analyst):
    with pytest.raises(ValidationError, match="no approved claims"):
        export_bytes(
            workspace=world.workspace,
            actor=analyst,
            format="claimreview",
            params={"status": ["new"]},
        )


def test_it_is_one_json_document(world, analyst):
    data = export_bytes(workspace=world.workspace, actor=analyst, format="claimreview")
    assert isinstance(json.loads(data), list)
