from django.urls import path

from search import views

urlpatterns = [
    path("w/<slug:slug>/claims/", views.claims_table_view, name="claims_table"),
    path("w/<slug:slug>/claims/bulk/", views.claims_bulk_view, name="claims_bulk"),
    path("w/<slug:slug>/search/", views.search_view, name="search"),
]
