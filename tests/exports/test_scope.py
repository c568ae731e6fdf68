"""Exports carry each figure's scope: the HTML and PDF report, the CSV (new
columns), ClaimReview (the claim's text, spatial and temporal coverage), and
the JSON bundle, whose import brings back scope, places and vocabulary."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from pypdf import PdfReader

from claims.models import Claim, Figure
from claims.services.articles import article_import
from claims.services.claims import claim_create
from exports.services.importing import bundle_import
from tests.conftest import make_member
from tests.exports.world import export_bytes, export_json, with_workflow
from vocabulary.models import Place, Term
from vocabulary.services import gazetteer_seed, subgroup_create, tolerance_set
from workspaces.models import Membership, Workspace

BODY = (
    "The monitor said 610 people had been killed since Thursday, among them 344 civilians. "
    "Later it counted 52 children among the dead in Banias."
)


@pytest.fixture
def scoped(workspace, admin_user, analyst, reviewer, monitor):
    gazetteer_seed(workspace=workspace, actor=admin_user, region="syria-coast")
    subgroup_create(workspace=workspace, actor=admin_user, label="Fishermen")
    tolerance_set(workspace=workspace, actor=admin_user, tolerance="12%")
    article = article_import(
        workspace=workspace,
        actor=analyst,
        title="Coastal toll",
        body=BODY,
        published_on=datetime.date(2025, 3, 9),
    )
    period = {"period_start": "2025-03-06", "period_end": "2025-03-09", "basis": "cumulative"}
    toll = claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote="610 people had been killed since Thursday, among them 344 civilians",
        kind="figure",
        statement="610 killed since Thursday, 344 of them civilians",
        figures=[
            {"value": 610, "counted": "people killed", "place": "Syria", **period},
            {"value": 344, "counted": "civilians", "place": "Syria", "part_of": 0, **period},
        ],
    )
    children = claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote="52 children among the dead in Banias",
        kind="figure",
        figures=[
            {
                "value": 50,
                "qualifier": "range",
                "value_high": 55,
                "counted": "children among the dead",
                "subgroups": ["children", "fishermen"],
                "place": "Banias",
                "as_of": "2025-03-09",
                "basis": "cumulative",
                "part_of": toll.figures.get(position=1),
            }
        ],
    )
    with_workflow(
        toll,
        status=Claim.Status.APPROVED,
        verdict="corroborated",
        rationale="Two monitors agree.",
        proposed_by=analyst,
        approved_by=reviewer,
    )
    return toll, children


SCOPE = "killed · civilians · Syria · cumulative total · 6–9 Mar 2025"


def test_the_html_report_shows_each_figures_scope(scoped, workspace, analyst):
    html = export_bytes(workspace=workspace, actor=analyst, format="html").decode()
    assert SCOPE in html
    assert "killed · civilians (children, fishermen) · Baniyas, Tartus, Syria" in html


def test_the_pdf_report_shows_each_figures_scope(scoped, workspace, analyst):
    pdf = export_bytes(workspace=workspace, actor=analyst, format="pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Baniyas, Tartus, Syria" in " ".join(text.split())


def test_the_csv_has_scope_columns(scoped, workspace, analyst):
    data = export_bytes(workspace=workspace, actor=analyst, format="csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    toll = next(r for r in rows if r["claim_id"] == str(scoped[0].pk))
    assert toll["figure_outcomes"] == "killed; killed"
    assert toll["figure_populations"] == "unspecified; civilians"
    assert toll["figure_places"] == "Syria; Syria"
    assert toll["figure_periods"] == "2025-03-06/2025-03-09; 2025-03-06/2025-03-09"
    assert toll["figure_bases"] == "cumulative; cumulative"
    total = scoped[0].figures.get(position=0)
    assert toll["figure_part_of"] == f"; {total.pk}"
    children = next(r for r in rows if r["claim_id"] == str(scoped[1].pk))
    assert (children["figure_values"], children["figure_subgroups"]) == (
        "50-55",
        "children, fishermen",
    )
    assert children["figure_places"] == "Baniyas, Tartus, Syria"


def test_claimreview_carries_the_scope_where_schema_org_allows(scoped, workspace, analyst):
    lines = export_bytes(workspace=workspace, actor=analyst, format="claimreview").splitlines()
    (review,) = [json.loads(line) for line in lines]
    item = review["itemReviewed"]
    assert item["spatialCoverage"] == {"@type": "Place", "name": "Syria"}
    assert item["temporalCoverage"] == "2025-03-06/2025-03-09"
    assert SCOPE in item["text"] and "344 civilians" in item["text"]


def test_the_bundle_round_trips_scope_places_and_vocabulary(scoped, workspace, admin_user):
    bundle = export_json(
        workspace=workspace, actor=admin_user, format="json", include_real_names=True
    )
    assert {p["name"] for p in bundle["places"]} >= {"Syria", "Tartus", "Baniyas"}
    assert {"type": "subgroup", "key": "fishermen"}.items() <= next(
        v for v in bundle["vocabulary"] if v.get("key") == "fishermen"
    ).items()
    assert bundle["figure_tolerance"] == "0.120"
    target = Workspace.objects.create(slug="desk-c", name="Desk C")
    carla = make_member(target, "carla", Membership.Role.ADMIN)
    bundle_import(workspace=target, actor=carla, data=bundle)
    target.refresh_from_db()
    assert target.figure_tolerance == Decimal("0.120")

    def scopes(ws):
        return sorted(
            (
                f.value,
                f.value_high,
                f.qualifier,
                f.outcome.key,
                f.population,
                tuple(f.subgroups),
                f.place.name,
                f.place.parent.name if f.place.parent else None,
                f.as_of,
                f.period_start,
                f.period_end,
                f.basis,
                f.part_of.value if f.part_of else None,
            )
            for f in Figure.objects.filter(claim__workspace=ws).select_related(
                "outcome", "place__parent", "part_of"
            )
        )

    assert scopes(target) == scopes(workspace)
    baniyas = Place.objects.get(workspace=target, name="Baniyas")
    assert "Banias" in baniyas.alternatives
    assert (
        Place.objects.filter(workspace=target).count()
        == Place.objects.filter(workspace=workspace).count()
    )
    assert (
        Term.objects.filter(workspace=target).count()
        == Term.objects.filter(workspace=workspace).count()
    )


def test_a_bundle_figure_with_a_bad_scope_imports_nothing(scoped, workspace, admin_user):
    bundle = export_json(
        workspace=workspace, actor=admin_user, format="json", include_real_names=True
    )
    bundle["claims"][0]["figures"][0]["period_start"] = "2025-03-12"  # after its end
    target = Workspace.objects.create(slug="desk-c", name="Desk C")
    carla = make_member(target, "carla", Membership.Role.ADMIN)
    with pytest.raises(Exception, match="the period ends"):
        bundle_import(workspace=target, actor=carla, data=bundle)
    assert not Place.objects.filter(workspace=target).exists()
    assert not Claim.objects.filter(workspace=target).exists()
