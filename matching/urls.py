from django.urls import path

from matching import views
from workspaces.converters import id_converter

# Object ids in paths are <id:...>: 1 to 2**63 - 1, anything else is a 404.
id_converter()

urlpatterns = [
    # pk: a Claim
    path("w/<slug:slug>/claims/<id:pk>/matches/", views.claim_matches, name="claim_matches"),
    path(
        "w/<slug:slug>/claims/<id:pk>/matches/find/",
        views.claim_matches_find,
        name="claim_matches_find",
    ),
    # pk: a LinkProposal
    path(
        "w/<slug:slug>/proposals/<id:pk>/confirm/",
        views.proposal_confirm_view,
        name="proposal_confirm",
    ),
    path(
        "w/<slug:slug>/proposals/<id:pk>/dismiss/",
        views.proposal_dismiss_view,
        name="proposal_dismiss",
    ),
]
