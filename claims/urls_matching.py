"""URLs of the matching feature, included from claims/urls.py."""

from django.urls import path

from claims.views import matching

urlpatterns: list = [
    path("w/<slug:slug>/figures/", matching.figures, name="figures"),
    # pk: a Claim
    path("w/<slug:slug>/claims/<int:pk>/matches/", matching.claim_matches, name="claim_matches"),
    path(
        "w/<slug:slug>/claims/<int:pk>/matches/find/",
        matching.claim_matches_find,
        name="claim_matches_find",
    ),
    path(
        "w/<slug:slug>/claims/<int:pk>/replace/",
        matching.claim_replace_view,
        name="claim_replace",
    ),
    # pk: a LinkProposal
    path(
        "w/<slug:slug>/proposals/<int:pk>/confirm/",
        matching.proposal_confirm_view,
        name="proposal_confirm",
    ),
    path(
        "w/<slug:slug>/proposals/<int:pk>/dismiss/",
        matching.proposal_dismiss_view,
        name="proposal_dismiss",
    ),
    # pk: an Article
    path(
        "w/<slug:slug>/articles/<int:pk>/versions/",
        matching.article_versions,
        name="article_versions",
    ),
    path(
        "w/<slug:slug>/articles/<int:pk>/versions/new/",
        matching.article_new_version,
        name="article_new_version",
    ),
]
