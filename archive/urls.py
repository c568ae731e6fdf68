from django.urls import path

from archive import views
from workspaces.converters import id_converter

# Object ids in paths are <id:...>: 1 to 2**63 - 1, anything else is a 404.
id_converter()

urlpatterns = [
    path("w/<slug:slug>/jobs/recheck-links/", views.links_recheck, name="links_recheck"),
    path("w/<slug:slug>/articles/fetch/", views.article_fetch, name="article_fetch"),
    path(
        "w/<slug:slug>/evidence/<id:pk>/archive/",
        views.evidence_archive,
        name="evidence_archive",
    ),
    path(
        "w/<slug:slug>/snapshots/<id:pk>/warc/",
        views.snapshot_download,
        name="snapshot_download",
    ),
]
