"""The workspace claims table: filters in the URL, counts, sort orders,
export of the current filter, and bulk actions refused per claim."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import audit_verify_chain
from claims.models import Claim


def _ids(response) -> set[int]:
    return {int(i) for i in re.findall(r'name="claim" value="(\d+)"', response.content.decode())}


def _table(client, world, params=None):
    return client.get(reverse("claims_table", args=[world.workspace.slug]), params or {})


def test_it_lists_the_workspace_claims_only(client_for, world):
    response = _table(client_for(world.analyst), world)
    assert response.status_code == 200
    w = world
    assert _ids(response) == {c.pk for c in (w.killed, w.denied, w.looted, w.displaced, w.fuel)}
    assert world.stranger.pk not in _ids(response)
    assert "5 claims" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "new"}, {"killed"}),
        ({"status": ["in_progress", "pending_review"]}, {"denied", "looted"}),
        ({"verdict": "none"}, {"killed", "denied", "fuel"}),
        ({"verdict": ["corroborated", "unverified"]}, {"displaced", "looted"}),
        ({"kind": "figure"}, {"killed", "displaced"}),
        ({"grade": "A"}, {"killed", "displaced"}),
        ({"grade": ["D", "F"]}, {"denied", "looted", "fuel"}),
        ({"has_evidence": "yes"}, {"killed", "displaced"}),
        ({"has_evidence": "no"}, {"denied", "looted", "fuel"}),
        # A confirmed contradiction (killed/denied) or a pending conflict (displaced/fuel).
        ({"has_conflict": "yes"}, {"killed", "denied", "displaced", "fuel"}),
        ({"has_conflict": "no"}, {"looted"}),
        ({"q": "killed"}, {"killed", "denied"}),
        ({"q": "families"}, {"displaced"}),  # "families" finds "families" and "family"
        ({"q": '"looted houses"'}, {"looted"}),
        ({"q": "Baniyas -ministry"}, {"killed"}),
        ({"q": "killed", "grade": "A"}, {"killed"}),
        ({"status": "approved", "verdict": "corroborated", "kind": "figure"}, {"displaced"}),
    ],
)
def test_each_filter_selects_its_claims(client_for, world, params, expected):
    response = _table(client_for(world.analyst), world, params)
    assert response.status_code == 200
    assert _ids(response) == {getattr(world, name).pk for name in expected}
    assert f"{len(expected)} claim" in response.content.decode()


def test_it_filters_by_source_article_and_assignee(client_for, world, second_analyst):
    client = client_for(world.analyst)
    assert _ids(_table(client, world, {"source": world.witness.pk})) == {
        world.looted.pk,
        world.fuel.pk,
    }
    assert len(_ids(_table(client, world, {"article": world.article.pk}))) == 5
    assert _ids(_table(client, world, {"assignee": world.analyst.pk})) == {world.denied.pk}
    unassigned = _ids(_table(client, world, {"assignee": "none"}))
    assert world.denied.pk not in unassigned and len(unassigned) == 4


def test_it_filters_by_dates(client_for, world):
    today = timezone.now().date()
    client = client_for(world.analyst)
    assert len(_ids(_table(client, world, {"created_from": today.isoformat()}))) == 5
    assert not _ids(_table(client, world, {"created_to": (today - timedelta(days=1)).isoformat()}))
    approved = _table(client, world, {"approved_from": today.isoformat()})
    assert _ids(approved) == {world.displaced.pk}
    proposed = _table(client, world, {"proposed_to": today.isoformat()})
    assert _ids(proposed) == {world.looted.pk, world.displaced.pk}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "lost"}, "Unknown status"),
        ({"source": "abc"}, "must be a number"),
        ({"created_from": "31/12/2025"}, "must be a date"),
        ({"has_conflict": "maybe"}, "“yes” or “no”"),
        ({"created_from": "2025-02-01", "created_to": "2025-01-01"}, "end before they start"),
    ],
)
def test_a_bad_filter_is_a_clear_400(client_for, world, params, message):
    response = _table(client_for(world.analyst), world, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not _ids(response)


def test_ids_of_another_workspace_are_refused(client_for, world):
    response = _table(client_for(world.analyst), world, {"article": world.stranger.article_id})
    assert response.status_code == 400
    assert "No article with id" in response.content.decode()


def test_it_sorts_newest_oldest_and_recently_changed(client_for, world):
    client = client_for(world.analyst)

    def order(sort):
        html = _table(client, world, {"sort": sort}).content.decode()
        return [int(i) for i in re.findall(r'name="claim" value="(\d+)"', html)]

    by_creation = list(
        Claim.objects.filter(workspace=world.workspace)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    assert order("oldest") == by_creation
    assert order("newest") == by_creation[::-1]
    assert order("updated")[0] == world.denied.pk  # assigned last


def test_the_count_stops_at_the_cap_for_costly_filters(client_for, world, monkeypatch):
    monkeypatch.setattr("search.selectors.COUNT_CAP", 1)  # read at each count
    html = _table(client_for(world.analyst), world, {"q": "Baniyas"}).content.decode()
    assert "1+ claims" in html


def test_the_export_buttons_carry_every_filter(client_for, world):
    params = {
        "q": "killed",
        "grade": "A",
        "status": "new",
        "has_evidence": "yes",
        "created_from": "2020-01-01",
        "sort": "oldest",
        "after": "abc",
    }
    html = _table(client_for(world.analyst), world, params).content.decode()
    form = html[
        html.index('class="export-buttons') : html.index("</form>", html.index("export-buttons"))
    ]
    hidden = set(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    hidden.discard(next(h for h in hidden if h[0] == "csrfmiddlewaretoken"))
    assert hidden == {
        ("q", "killed"),
        ("grade", "A"),
        ("status", "new"),
        ("has_evidence", "yes"),
        ("created_from", "2020-01-01"),
    }


def test_exporting_the_filter_exports_exactly_the_listed_claims(client_for, world):
    client = client_for(world.analyst)
    response = client.post(
        reverse("export_create", args=[world.workspace.slug]),
        {"format": "csv", "has_conflict": "yes", "grade": "A"},
    )
    assert response.status_code == 200
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    listed = _ids(_table(client, world, {"has_conflict": "yes", "grade": "A"}))
    assert {int(row["claim_id"]) for row in rows} == listed == {world.killed.pk, world.displaced.pk}


def test_the_page_runs_a_fixed_number_of_queries(client_for, world, django_assert_max_num_queries):
    client = client_for(world.analyst)
    _table(client, world)
    with CaptureQueriesContext(connection) as few:
        _table(client, world, {"status": "new"})
    with CaptureQueriesContext(connection) as many:
        _table(client, world)
    assert len(few) == len(many)


# --- Bulk actions ---------------------------------------------------------------


def _bulk(client, world, claims, *, params="", **data):
    url = reverse("claims_bulk", args=[world.workspace.slug]) + params
    payload = {"claim": [c.pk for c in claims], **data}
    for c in claims:
        payload[f"v{c.pk}"] = data.pop(f"v{c.pk}", c.version)
    return client.post(url, payload, HTTP_HX_REQUEST="true")


def test_starting_in_bulk_applies_the_workflow_to_each_claim(client_for, world):
    w = world
    client = client_for(w.analyst)
    events = AuditEvent.objects.filter(workspace=w.workspace).count()
    response = _bulk(client, w, [w.killed, w.looted, w.displaced, w.fuel], action="start")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Start checking: 1 claim done, 3 refused." in html
    assert "A claim that is pending review cannot be moved with “Start checking”" in html
    assert "A claim that is approved cannot be moved" in html
    assert "A claim that is dismissed cannot be moved" in html
    assert Claim.objects.get(pk=w.killed.pk).status == "in_progress"
    assert Claim.objects.get(pk=w.looted.pk).status == "pending_review"
    assert AuditEvent.objects.filter(workspace=w.workspace).count() == events + 1
    assert audit_verify_chain(w.workspace).ok


def test_a_claim_changed_meanwhile_is_refused_and_the_rest_done(client_for, world, second_analyst):
    w = world
    response = _bulk(
        client_for(w.analyst),
        w,
        [w.killed, w.denied],
        action="assign",
        assignee=second_analyst.pk,
        **{f"v{w.killed.pk}": w.killed.version - 1},
    )
    html = response.content.decode()
    assert "Assign: 1 claim done, 1 refused." in html
    assert "changed since the list was loaded" in html
    assert Claim.objects.get(pk=w.denied.pk).assignee == second_analyst
    assert Claim.objects.get(pk=w.killed.pk).assignee is None


def test_dismissing_in_bulk_needs_a_reason(client_for, world):
    w = world
    client = client_for(w.analyst)
    response = _bulk(client, w, [w.killed], action="dismiss", reason="  ")
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert Claim.objects.get(pk=w.killed.pk).status == "new"
    response = _bulk(client, w, [w.killed, w.denied], action="dismiss", reason="Out of scope")
    assert "Dismiss: 2 claims done." in response.content.decode()
    assert set(
        Claim.objects.filter(pk__in=[w.killed.pk, w.denied.pk]).values_list(
            "status", "dismissed_reason"
        )
    ) == {("dismissed", "Out of scope")}


def test_claims_can_be_assigned_only_to_analysts(client_for, world):
    w = world
    response = _bulk(client_for(w.analyst), w, [w.killed], action="assign", assignee=w.reviewer.pk)
    assert response.status_code == 400
    assert Claim.objects.get(pk=w.killed.pk).assignee is None


def test_a_reviewer_cannot_start_claims_in_bulk(client_for, world):
    w = world
    response = _bulk(client_for(w.reviewer), w, [w.killed], action="start")
    assert response.status_code == 403
    assert Claim.objects.get(pk=w.killed.pk).status == "new"


def test_claims_of_another_workspace_are_refused_by_id(client_for, world):
    w = world
    response = _bulk(client_for(w.analyst), w, [w.stranger], action="start")
    assert "There is no such claim in this workspace." in response.content.decode()
    assert Claim.objects.get(pk=w.stranger.pk).status == "new"


def test_the_result_keeps_the_filters_and_writes_the_chain_head_once(client_for, world):
    w = world
    claims = [w.killed, w.denied]
    with CaptureQueriesContext(connection) as queries:
        response = _bulk(
            client_for(w.analyst),
            w,
            claims,
            params="?status=new&status=in_progress",
            action="dismiss",
            reason="Duplicate",
        )
    heads = [q for q in queries if q["sql"].startswith("UPDATE") and "audit_auditchain" in q["sql"]]
    assert len(heads) == 1
    assert _ids(response) == set()  # both dismissed: the filtered table is empty now
    assert (
        'href="?status=new"' in response.content.decode() or "0 claims" in response.content.decode()
    )
    assert audit_verify_chain(w.workspace).ok
