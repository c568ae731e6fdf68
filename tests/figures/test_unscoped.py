"""Figures needing scope: listed for an analyst, and read again from their
wording once the vocabulary and gazetteer know the words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from claims.models import Figure
from claims.services.claims import claim_create
from claims.services.rescope import figures_rescope
from vocabulary.services import gazetteer_seed
from workspaces.exceptions import NotAllowed


@pytest.fixture
def free_text(article, analyst, monitor):
    """Figures typed as free text before the workspace had a gazetteer."""
    return claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote="745 civilians",
        statement="In Baniyas, 745 civilians were killed",
        figures=[{"value": 745, "counted": "civilians killed since Thursday"}],
    )


def test_it_lists_figures_without_a_place(free_text, client_for, reviewer):
    html = client_for(reviewer).get(reverse("figures_unscoped", args=["desk-a"])).content.decode()
    assert "civilians killed since Thursday" in html
    assert '<span class="badge warn">place</span>' in html
    assert reverse("claim_detail", args=["desk-a", free_text.pk]) in html


def test_an_admin_reads_the_scope_again_once_the_places_exist(
    free_text, workspace, admin_user, client_for, analyst
):
    Figure.objects.filter(claim=free_text).update(outcome=None, basis="")
    gazetteer_seed(workspace=workspace, actor=admin_user, region="syria-coast")
    free_text.quote = "In Baniyas, 745 civilians"  # the quote names the place
    free_text.save(update_fields=["quote"])
    url = reverse("figures_unscoped", args=["desk-a"])
    assert client_for(analyst).post(url).status_code == 403
    response = client_for(admin_user).post(url)
    assert response.status_code == 302
    figure = Figure.objects.get(claim=free_text)
    assert (figure.outcome.key, figure.population, figure.basis, figure.place.name) == (
        "killed",
        "civilians",
        "cumulative",
        "Baniyas",
    )
    assert AuditEvent.objects.filter(
        object_type="claim", object_id=str(free_text.pk), action="update"
    ).exists()
    html = client_for(admin_user).get(url).content.decode()
    assert "Every figure has its scope." in html


def test_rescoping_keeps_what_is_set_and_needs_an_admin(free_text, workspace, analyst, admin_user):
    with pytest.raises(NotAllowed):
        figures_rescope(workspace=workspace, actor=analyst)
    assert figures_rescope(workspace=workspace, actor=admin_user) == 0  # no place known yet
