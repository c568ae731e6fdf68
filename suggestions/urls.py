from django.urls import path

from suggestions import views as suggestions

urlpatterns: list = [
    # pk: an Article
    path(
        "w/<slug:slug>/articles/<id:pk>/suggestions/",
        suggestions.suggestion_list,
        name="suggestion_list",
    ),
    path(
        "w/<slug:slug>/articles/<id:pk>/suggestions/run/",
        suggestions.suggestions_run,
        name="suggestions_run",
    ),
    path(
        "w/<slug:slug>/articles/<id:pk>/suggestions/job/",
        suggestions.suggestion_job_status,
        name="suggestion_job_status",
    ),
    path(
        "w/<slug:slug>/articles/<id:pk>/suggestions/bulk/",
        suggestions.suggestions_bulk,
        name="suggestions_bulk",
    ),
    # pk: a ClaimSuggestion
    path(
        "w/<slug:slug>/suggestions/<id:pk>/accept/",
        suggestions.suggestion_accept_view,
        name="suggestion_accept",
    ),
    path(
        "w/<slug:slug>/suggestions/<id:pk>/dismiss/",
        suggestions.suggestion_dismiss_view,
        name="suggestion_dismiss",
    ),
    path(
        "w/<slug:slug>/suggestions/<id:pk>/edit/",
        suggestions.suggestion_edit,
        name="suggestion_edit",
    ),
]
