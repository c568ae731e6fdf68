"""URLs of the matching feature, included from claims/urls.py."""

urlpatterns: list = []
