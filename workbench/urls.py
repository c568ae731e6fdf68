from django.urls import include, path

urlpatterns = [
    path("", include("claims.urls")),
]
