from django.urls import path

from matching import views

urlpatterns = [
    # pk: a Claim
    path("w/<slug:slug>/claims/<int:pk>/matches/", views.claim_matches, name="claim_matches"),
    path(
        "w/<slug:slug>/claims/<int:pk>/matches/find/",
        views.claim_matches_find,
        name="claim_matches_find",
    ),
    # pk: a LinkProposal
    path(
        "w/<slug:slug>/proposals/<int:pk>/confirm/",
        views.proposal_confirm_view,
        name="proposal_confirm",
    ),
    path(
        "w/<slug:slug>/proposals/<int:pk>/dismiss/",
        views.proposal_dismiss_view,
        name="proposal_dismiss",
    ),
]
