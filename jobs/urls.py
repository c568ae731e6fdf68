from django.urls import path

from jobs import views

urlpatterns = [
    path("w/<slug:slug>/jobs/", views.job_list, name="job_list"),
    path("w/<slug:slug>/jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("w/<slug:slug>/jobs/<int:pk>/retry/", views.job_retry_view, name="job_retry"),
    path("w/<slug:slug>/jobs/<int:pk>/cancel/", views.job_cancel_view, name="job_cancel"),
]
