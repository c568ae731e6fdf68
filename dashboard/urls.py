from django.urls import path

from dashboard import views

urlpatterns = [
    path("w/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path(
        "w/<slug:slug>/dashboard/refresh/", views.dashboard_refresh_view, name="dashboard_refresh"
    ),
]
