"""URLs of the suggestions feature, included from claims/urls.py."""

urlpatterns: list = []
