import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from claims.models import Source
from claims.services.sources import source_create, source_update
from workspaces.exceptions import NotAllowed


def test_it_lists_sources_with_claim_counts(client_for, analyst, workspace, claim, monitor):
    response = client_for(analyst).get(reverse("source_list", args=[workspace.slug]))
    assert response.status_code == 200
    assert "Monitoring Group" in response.content.decode()


def test_it_creates_a_source_from_the_form(client_for, analyst, workspace):
    response = client_for(analyst).post(
        reverse("source_new", args=[workspace.slug]),
        {
            "name": "  Red  Crescent ",
            "kind": "international_org",
            "reliability": "B",
            "aliases": "IFRC, Crescent, ifrc",
            "description": "",
            "protected": "",
        },
    )
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.name == "Red Crescent"
    assert source.aliases == ["IFRC", "Crescent"]
    assert not source.protected


def test_it_edits_a_source_and_records_what_changed(client_for, analyst, workspace, monitor):
    response = client_for(analyst).post(
        reverse("source_edit", args=[workspace.slug, monitor.pk]),
        {
            "name": "Monitoring Group",
            "kind": "monitor",
            "reliability": "B",
            "aliases": "MG",
            "description": "",
            "protected": "on",
        },
    )
    assert response.status_code == 302
    monitor.refresh_from_db()
    assert (monitor.reliability, monitor.protected, monitor.aliases) == ("B", True, ["MG"])
    event = AuditEvent.objects.filter(object_type="source", action="update").get()
    assert event.changes["reliability"] == ["C", "B"]


def test_it_shows_an_error_for_a_duplicate_name(client_for, analyst, workspace, monitor):
    response = client_for(analyst).post(
        reverse("source_new", args=[workspace.slug]),
        {"name": "Monitoring Group", "kind": "monitor", "reliability": "C", "aliases": ""},
    )
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert Source.objects.count() == 1


def test_it_refuses_an_invalid_reliability_grade(workspace, analyst):
    with pytest.raises(ValidationError):
        source_create(workspace=workspace, actor=analyst, name="X", reliability="G")
    assert not Source.objects.exists()


def test_it_refuses_a_reviewer_editing_sources(monitor, reviewer):
    with pytest.raises(NotAllowed):
        source_update(source=monitor, actor=reviewer, reliability="A")


def test_it_allows_the_same_name_in_two_workspaces(
    workspace, other_workspace, analyst, outsider, monitor
):
    other = source_create(workspace=other_workspace, actor=outsider, name="Monitoring Group")
    assert other.pk != monitor.pk
