"""URLs of the jobs feature, included from claims/urls.py."""

from django.urls import path

from claims.views import jobs

urlpatterns = [
    path("w/<slug:slug>/jobs/", jobs.job_list, name="job_list"),
    path("w/<slug:slug>/jobs/recheck-links/", jobs.links_recheck, name="links_recheck"),
    path("w/<slug:slug>/jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("w/<slug:slug>/jobs/<int:pk>/retry/", jobs.job_retry_view, name="job_retry"),
    path("w/<slug:slug>/jobs/<int:pk>/cancel/", jobs.job_cancel_view, name="job_cancel"),
    path("w/<slug:slug>/articles/fetch/", jobs.article_fetch, name="article_fetch"),
    path(
        "w/<slug:slug>/evidence/<int:pk>/archive/",
        jobs.evidence_archive,
        name="evidence_archive",
    ),
    path(
        "w/<slug:slug>/snapshots/<int:pk>/warc/",
        jobs.snapshot_download,
        name="snapshot_download",
    ),
]
