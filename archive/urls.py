from django.urls import path

from archive import views

urlpatterns = [
    path("w/<slug:slug>/jobs/recheck-links/", views.links_recheck, name="links_recheck"),
    path("w/<slug:slug>/articles/fetch/", views.article_fetch, name="article_fetch"),
    path(
        "w/<slug:slug>/evidence/<int:pk>/archive/",
        views.evidence_archive,
        name="evidence_archive",
    ),
    path(
        "w/<slug:slug>/snapshots/<int:pk>/warc/",
        views.snapshot_download,
        name="snapshot_download",
    ),
]
