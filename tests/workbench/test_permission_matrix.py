"""Every URL, every kind of visitor: anonymous, a member of another workspace,
analyst, reviewer and admin. Each answer is checked against the catalogue:
a role that may not use a URL gets 403 and nothing changes; a role that may
gets past the permission check (its answer is never 401, 403, 404 or 500)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.conftest import make_member
from tests.workbench.url_catalog import build_world, catalog_urls

ROLES = ("analyst", "reviewer", "admin")


@pytest.fixture
def world(workspace, analyst, article, claim, monitor):
    return build_world(
        workspace=workspace, analyst=analyst, article=article, claim=claim, monitor=monitor
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_permissions(client, world, workspace, role, admin_user):
    # admin_user keeps the workspace's admin count above one, so the admin role
    # changing a membership is a real change, not the last-admin refusal.
    member = make_member(workspace, f"member-{role}", role)
    client.force_login(member)
    for name, url, methods, data in catalog_urls(workspace.slug, world):
        for method, allowed in methods.items():
            events_before = AuditEvent.objects.count()
            response = getattr(client, method)(
                url, data if method == "post" else None, HTTP_HX_REQUEST="true"
            )
            status = response.status_code
            if role in allowed:
                assert status not in (401, 403, 404, 500), (role, name, method, status)
            else:
                assert status == 403, (role, name, method, status)
                assert AuditEvent.objects.count() == events_before, (role, name, method)


def test_anonymous_and_outsiders_get_nothing(client, world, workspace, other_workspace):
    for name, url, methods, data in catalog_urls(workspace.slug, world):
        for method in methods:
            response = getattr(client, method)(url, data if method == "post" else None)
            assert response.status_code == 302 and response["Location"].startswith(
                reverse("login")
            ), name
    client.force_login(make_member(other_workspace, "outsider-admin", "admin"))
    for name, url, methods, data in catalog_urls(workspace.slug, world):
        for method in methods:
            assert (
                getattr(client, method)(url, data if method == "post" else None).status_code == 404
            ), name
