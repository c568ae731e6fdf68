from django.urls import path

from figures import views

urlpatterns = [
    path("w/<slug:slug>/figures/", views.figures, name="figures"),
]
