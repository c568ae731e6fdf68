from django.urls import path

from exports import views as exports

urlpatterns: list = [
    path("w/<slug:slug>/exports/", exports.export_list, name="export_list"),
    path("w/<slug:slug>/exports/new/", exports.export_create, name="export_create"),
    path(
        "w/<slug:slug>/exports/<id:pk>/download/",
        exports.export_download,
        name="export_download",
    ),
    path("w/<slug:slug>/exports/jobs/<id:pk>/", exports.export_job, name="export_job"),
]
