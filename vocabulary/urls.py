from django.urls import path

from vocabulary import views

urlpatterns = [
    path("w/<slug:slug>/vocabulary/", views.vocabulary, name="vocabulary"),
    path("w/<slug:slug>/places/", views.places, name="places"),
    path("w/<slug:slug>/places/<id:pk>/", views.place_edit, name="place_edit"),
    path("w/<slug:slug>/places/inline/", views.place_inline_create, name="place_inline_create"),
    path(
        "w/<slug:slug>/vocabulary/complete/places/",
        views.complete_places_view,
        name="complete_places",
    ),
    path(
        "w/<slug:slug>/vocabulary/complete/outcomes/",
        views.complete_outcomes_view,
        name="complete_outcomes",
    ),
    path(
        "w/<slug:slug>/vocabulary/complete/subgroups/",
        views.complete_subgroups_view,
        name="complete_subgroups",
    ),
]
