from django.urls import path

from jobs import views
from workspaces.converters import id_converter

# Object ids in paths are <id:...>: 1 to 2**63 - 1, anything else is a 404.
id_converter()

urlpatterns = [
    path("w/<slug:slug>/jobs/", views.job_list, name="job_list"),
    path("w/<slug:slug>/jobs/<id:pk>/", views.job_detail, name="job_detail"),
    path("w/<slug:slug>/jobs/<id:pk>/retry/", views.job_retry_view, name="job_retry"),
    path("w/<slug:slug>/jobs/<id:pk>/cancel/", views.job_cancel_view, name="job_cancel"),
]
