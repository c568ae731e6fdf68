"""URLs of the jobs feature, included from claims/urls.py."""

urlpatterns: list = []
