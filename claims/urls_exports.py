"""URLs of the exports feature, included from claims/urls.py."""

urlpatterns: list = []
