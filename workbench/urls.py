"""Each feature app keeps its URLs; this includes them all."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from workbench.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Read-only, for staff (claims/admin.py); also the benchmark's anchor page.
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("workspaces.urls")),
    path("", include("vocabulary.urls")),
    path("", include("claims.urls")),
    path("", include("jobs.urls")),
    path("", include("archive.urls")),
    path("", include("suggestions.urls")),
    path("", include("matching.urls")),
    path("", include("figures.urls")),
    path("", include("exports.urls")),
    path("", include("search.urls")),
    path("", include("dashboard.urls")),
]
