"""The workspace vocabulary and gazetteer: admins edit, analysts add places
from the claim form, everyone reads; type-ahead; every change audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from claims.services.claims import claim_create
from jobs.models import Job
from vocabulary.models import Outcome, Place, Term
from vocabulary.selectors import complete_places, resolve_place
from vocabulary.services import (
    gazetteer_seed,
    outcome_create,
    outcome_delete,
    place_create,
    place_delete,
    place_update,
    term_create,
    tolerance_set,
)
from workspaces.exceptions import NotAllowed


@pytest.fixture
def coast(workspace, admin_user):
    gazetteer_seed(workspace=workspace, actor=admin_user, region="syria-coast")
    return workspace


def test_the_demo_gazetteer_knows_the_coast_and_its_spellings(coast):
    for spelling, name in (
        ("Banias", "Baniyas"),
        ("Tartous", "Tartus"),
        ("Lattakia", "Latakia"),
        ("Jablah", "Jableh"),
    ):
        assert resolve_place(workspace=coast, value=spelling).name == name
    baniyas = resolve_place(workspace=coast, value="Baniyas")
    assert (baniyas.level, baniyas.parent.name, baniyas.parent.parent.name) == (
        "district",
        "Tartus",
        "Syria",
    )


def test_seeding_twice_adds_nothing(coast, admin_user):
    count = Place.objects.filter(workspace=coast).count()
    gazetteer_seed(workspace=coast, actor=admin_user, region="syria-coast")
    assert Place.objects.filter(workspace=coast).count() == count


def test_type_ahead_offers_places_by_any_spelling_of_the_workspace_only(
    coast, other_workspace, outsider
):
    place_create(workspace=other_workspace, actor=outsider, name="Banias Beach", level="country")
    options = complete_places(workspace=coast, typed="Bani")
    assert [o.value for o in options] == ["Baniyas (Tartus)"]
    assert complete_places(workspace=coast, typed="banias")[0].label.endswith("also “Banias”")


def test_type_ahead_answers_members_only(coast, client_for, analyst, outsider):
    url = reverse("complete_places", args=["desk-a"])
    html = client_for(analyst).get(url, {"fig-0-place": "Tart"}).content.decode()
    assert '<option value="Tartus (Syria)">' in html
    assert client_for(outsider).get(url, {"q": "Tart"}).status_code == 404


def test_a_workspace_extends_the_outcomes(workspace, admin_user):
    outcome = outcome_create(workspace=workspace, actor=admin_user, label="Tortured")
    assert outcome.key == "tortured"
    with pytest.raises(ValidationError, match="exists already"):
        outcome_create(workspace=workspace, actor=admin_user, label="killed")
    base = Outcome.objects.get(workspace=None, key="killed")
    with pytest.raises(ValidationError, match="base outcomes"):
        outcome_delete(outcome=base, actor=admin_user)


def test_an_outcome_in_use_is_not_deleted(workspace, admin_user, article, analyst, monitor):
    outcome = outcome_create(workspace=workspace, actor=admin_user, label="Tortured")
    claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote="745 civilians",
        figures=[{"value": 3, "counted": "men", "outcome": "tortured"}],
    )
    with pytest.raises(ValidationError, match="Figures count"):
        outcome_delete(outcome=outcome, actor=admin_user)
    assert Outcome.objects.filter(pk=outcome.pk).exists()


def test_only_admins_edit_the_vocabulary(workspace, analyst):
    with pytest.raises(NotAllowed):
        term_create(
            workspace=workspace,
            actor=analyst,
            phrase="rebels",
            kind="population",
            meaning="armed_groups",
        )


def test_a_term_maps_a_word_and_is_audited(workspace, admin_user):
    term = term_create(
        workspace=workspace,
        actor=admin_user,
        phrase="Regime remnants",
        kind="population",
        meaning="armed_groups",
    )
    assert term.key == "regime remnants"
    assert AuditEvent.objects.filter(object_type="term", object_id=str(term.pk)).exists()
    with pytest.raises(ValidationError, match="A population is one of"):
        term_create(
            workspace=workspace, actor=admin_user, phrase="x", kind="population", meaning="gods"
        )


def test_the_vocabulary_page_adds_and_removes_words(workspace, admin_user, analyst, client_for):
    url = reverse("vocabulary", args=["desk-a"])
    client = client_for(admin_user)
    data = {"action": "term", "term-phrase": "gunmen", "term-kind": "population"}
    data["term-meaning"] = "armed_groups"
    assert client.post(url, data).status_code == 302
    term = Term.objects.get(workspace=workspace)
    html = client.get(url).content.decode()
    assert "gunmen" in html
    assert client.post(url, {"action": "delete_term", "pk": term.pk}).status_code == 302
    assert not Term.objects.exists()
    bad = client.post(url, {**data, "term-meaning": "gods"})
    assert bad.status_code == 422 and "A population is one of" in bad.content.decode()
    assert client_for(analyst).post(url, data).status_code == 403


def test_the_tolerance_is_a_workspace_setting(workspace, admin_user, client_for):
    url = reverse("vocabulary", args=["desk-a"])
    response = client_for(admin_user).post(
        url, {"action": "tolerance", "tolerance-tolerance": "25"}
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.figure_tolerance == Decimal("0.250")
    assert Job.objects.filter(kind=Job.Kind.RECONCILE_FIGURES).exists()
    with pytest.raises(ValidationError):
        tolerance_set(workspace=workspace, actor=admin_user, tolerance="150%")


def test_places_nest_by_level_and_never_in_themselves(
    coast, analyst, admin_user, other_workspace, outsider
):
    baniyas = resolve_place(workspace=coast, value="Baniyas")
    with pytest.raises(ValidationError, match="cannot lie inside"):
        place_create(
            workspace=coast, actor=analyst, name="Tartus coast", level="region", parent=baniyas
        )
    tartus = baniyas.parent
    with pytest.raises(ValidationError):
        place_update(
            place=tartus,
            actor=admin_user,
            name="Tartus",
            level="region",
            parent=baniyas,
            alternatives=[],
        )
    foreign = place_create(workspace=other_workspace, actor=outsider, name="Far", level="country")
    with pytest.raises(ValidationError, match="another workspace"):
        place_create(workspace=coast, actor=analyst, name="Near", level="region", parent=foreign)


def test_a_place_in_use_is_not_deleted(coast, admin_user, article, analyst, monitor):
    claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote="745 civilians",
        figures=[{"value": 3, "counted": "dead", "place": "Banias"}],
    )
    with pytest.raises(ValidationError, match="used by figures"):
        place_delete(place=resolve_place(workspace=coast, value="Baniyas"), actor=admin_user)


def test_an_analyst_adds_a_place_from_the_claim_form(coast, client_for, analyst, reviewer):
    url = reverse("place_inline_create", args=["desk-a"])
    data = {
        "place-new_place_name": "Al-Rawda",
        "place-new_place_level": "locality",
        "place-new_place_parent": "Banias",
        "place-new_place_alternatives": "Rawda, Al Rawdah",
    }
    response = client_for(analyst).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Added <strong>Al-Rawda (Baniyas)</strong>" in response.content.decode()
    assert resolve_place(workspace=coast, value="Al Rawdah").name == "Al-Rawda"
    bad = client_for(analyst).post(url, {**data, "place-new_place_parent": "Atlantis"})
    assert bad.status_code == 422 and "not in this workspace" in bad.content.decode()
    assert client_for(reviewer).post(url, data).status_code == 403


def test_the_places_page_finds_by_spelling_and_pages(coast, client_for, analyst):
    url = reverse("places", args=["desk-a"])
    html = client_for(analyst).get(url, {"q": "Tartous"}).content.decode()
    assert "<strong>Tartus</strong>" in html and "<strong>Latakia</strong>" not in html
    for n in range(60):
        place_create(workspace=coast, actor=analyst, name=f"Village {n:02}", level="country")
    first = client_for(analyst).get(url).content.decode()
    assert "Next places" in first


def test_the_places_page_query_count_does_not_grow(coast, client_for, analyst):
    client = client_for(analyst)
    url = reverse("places", args=["desk-a"])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(80):
        place_create(workspace=coast, actor=analyst, name=f"Town {n:02}", level="country")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)
