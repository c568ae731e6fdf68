"""A figure's scope through the claim services' figure-dict contract and the
claim form: what is saved, what the wording suggests, and bad input refused
with a clear error and nothing saved."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from claims.models import Claim, Figure
from claims.services.articles import article_import
from claims.services.claims import claim_create, claim_update, clean_figures
from claims.services.figures import usable_scope
from claims.services.sources import source_create
from vocabulary.models import Place
from vocabulary.services import place_create, subgroup_create, term_create

D = datetime.date


@pytest.fixture
def gazetteer(workspace, analyst):
    syria = place_create(workspace=workspace, actor=analyst, name="Syria", level="country")
    tartus = place_create(
        workspace=workspace,
        actor=analyst,
        name="Tartus",
        level="region",
        parent=syria,
        alternatives=["Tartous"],
    )
    baniyas = place_create(
        workspace=workspace,
        actor=analyst,
        name="Baniyas",
        level="district",
        parent=tartus,
        alternatives=["Banias"],
    )
    return {"syria": syria, "tartus": tartus, "baniyas": baniyas}


@pytest.fixture
def foreign_place(other_workspace, outsider):
    return place_create(workspace=other_workspace, actor=outsider, name="Syria", level="country")


def _create(article, analyst, monitor, figures, quote="more than 1,000 people were killed"):
    return claim_create(
        article=article, actor=analyst, source=monitor, quote=quote, figures=figures
    )


def test_it_saves_every_scope_field(article, analyst, monitor, gazetteer):
    claim = _create(
        article,
        analyst,
        monitor,
        [
            {
                "value": "30",
                "qualifier": "range",
                "value_high": "40",
                "counted": "villagers killed",
                "outcome": "killed",
                "population": "civilians",
                "subgroups": ["children"],
                "place": "Banias",
                "as_of": "2025-03-09",
                "period_start": D(2025, 3, 6),
                "period_end": D(2025, 3, 9),
                "basis": "cumulative",
            }
        ],
    )
    f = claim.figures.get()
    assert (f.value, f.value_high, f.qualifier) == (Decimal(30), Decimal(40), "range")
    assert (f.outcome.key, f.population, f.subgroups) == ("killed", "civilians", ["children"])
    assert f.place == gazetteer["baniyas"]
    assert (f.as_of, f.period_start, f.period_end, f.basis) == (
        D(2025, 3, 9),
        D(2025, 3, 6),
        D(2025, 3, 9),
        "cumulative",
    )
    assert str(f) == "30–40 villagers killed"


def test_the_wording_suggests_what_is_not_given(article, analyst, monitor, admin_user, gazetteer):
    term_create(
        workspace=article.workspace,
        actor=admin_user,
        phrase="pro-Assad fighters",
        kind="population",
        meaning="armed_groups",
    )
    claim = _create(
        article,
        analyst,
        monitor,
        [
            {"value": 148, "counted": "pro-Assad fighters killed since Thursday"},
            {"value": 12, "counted": "deaths in Tartous in the past 24 hours"},
        ],
    )
    fighters, deaths = claim.figures.order_by("position")
    assert (fighters.outcome.key, fighters.population, fighters.basis) == (
        "killed",
        "armed_groups",
        "cumulative",
    )
    assert (deaths.place, deaths.basis) == (gazetteer["tartus"], "increment")
    assert fighters.place is None  # the place is for the analyst to give


def test_a_place_name_is_unique_among_its_siblings(workspace, analyst, gazetteer):
    with pytest.raises(ValidationError, match="There is a place called"):
        place_create(workspace=workspace, actor=analyst, name="syria", level="country")
    assert Place.objects.filter(workspace=workspace, key="syria").count() == 1


def test_an_ambiguous_place_name_asks_which(article, analyst, monitor, gazetteer, workspace):
    place_create(
        workspace=workspace,
        actor=analyst,
        name="Qusour",
        level="locality",
        parent=gazetteer["baniyas"],
    )
    place_create(
        workspace=workspace,
        actor=analyst,
        name="Qusour",
        level="district",
        parent=gazetteer["tartus"],
    )
    with pytest.raises(ValidationError, match="Several places are called"):
        clean_figures([{"value": 1, "counted": "dead", "place": "Qusour"}], workspace=workspace)
    (cleaned,) = clean_figures(
        [{"value": 1, "counted": "dead", "place": "Qusour (Baniyas)"}], workspace=workspace
    )
    assert cleaned["place"].level == "locality"


def test_parts_are_recorded_by_index_or_by_figure(article, analyst, monitor, gazetteer):
    total = _create(
        article,
        analyst,
        monitor,
        [
            {"value": 1000, "counted": "people killed", "place": "Syria", "basis": "cumulative"},
            {"value": 745, "counted": "civilians killed", "part_of": 0},
        ],
    )
    whole, civilians = total.figures.order_by("position")
    assert civilians.part_of == whole
    elsewhere = _create(
        article,
        analyst,
        monitor,
        [{"value": 125, "counted": "security forces killed", "part_of": whole}],
        quote="745 civilians",
    )
    part = elsewhere.figures.get()
    assert part.part_of == whole
    # Editing the total keeps the parts that other claims recorded against it.
    claim_update(
        claim=total,
        actor=analyst,
        expected_version=total.version,
        figures=[
            {"value": 1018, "counted": "people killed", "place": "Syria", "basis": "cumulative"},
            {"value": 745, "counted": "civilians killed", "part_of": 0},
        ],
    )
    part.refresh_from_db()
    assert part.part_of_id == whole.pk
    assert Figure.objects.get(pk=whole.pk).value == 1018


def _refused(article, analyst, monitor, figures, message):
    before = (Claim.objects.count(), Figure.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match=message):
        _create(article, analyst, monitor, figures)
    assert (Claim.objects.count(), Figure.objects.count(), AuditEvent.objects.count()) == before


def test_it_refuses_a_negative_count(article, analyst, monitor):
    _refused(article, analyst, monitor, [{"value": "-3", "counted": "dead"}], "cannot be negative")


def test_it_refuses_a_period_that_ends_before_it_starts(article, analyst, monitor):
    figures = [
        {
            "value": 3,
            "counted": "dead",
            "period_start": "2025-03-09",
            "period_end": "2025-03-06",
        }
    ]
    _refused(article, analyst, monitor, figures, r"the period ends \(6 Mar 2025\) before it starts")


def test_it_refuses_a_place_of_another_workspace(article, analyst, monitor, foreign_place):
    for place in (foreign_place, foreign_place.pk, str(foreign_place.pk)):
        figures = [{"value": 3, "counted": "dead", "place": place}]
        _refused(article, analyst, monitor, figures, "another workspace's gazetteer")


def test_it_refuses_an_unknown_place_name(article, analyst, monitor, foreign_place):
    figures = [{"value": 3, "counted": "dead", "place": "Syria"}]  # only the other desk has it
    _refused(article, analyst, monitor, figures, "not in this workspace's gazetteer")


def test_it_refuses_a_part_larger_than_its_total(article, analyst, monitor, claim):
    figures = [
        {"value": 236, "counted": "people killed"},
        {"value": 300, "counted": "civilians killed", "part_of": 0},
    ]
    _refused(article, analyst, monitor, figures, r"300 is larger than the total .*figure 1: 236")
    total = claim.figures.get()  # more than 1,000 people killed: no upper bound
    figures = [{"value": 5000, "counted": "civilians killed", "part_of": total}]
    _create(article, analyst, monitor, figures, quote="745 civilians")  # allowed
    figures = [{"value": 5000, "counted": "civilians killed", "part_of": 0}]
    _refused(article, analyst, monitor, figures, "cannot be a part of itself")


def test_it_refuses_a_part_of_another_workspace(
    article, analyst, monitor, outsider, other_workspace
):
    source = source_create(workspace=other_workspace, actor=outsider, name="Far")
    far = article_import(workspace=other_workspace, actor=outsider, title="Far", body="9 dead.")
    foreign = claim_create(
        article=far,
        actor=outsider,
        source=source,
        quote="9 dead",
        figures=[{"value": 9, "counted": "dead"}],
    )
    figures = [{"value": 1, "counted": "dead", "part_of": foreign.figures.get()}]
    _refused(article, analyst, monitor, figures, "belongs to another workspace")


def test_it_refuses_parts_in_a_circle(article, analyst, monitor):
    figures = [
        {"value": 10, "counted": "dead", "part_of": 1},
        {"value": 10, "counted": "dead", "part_of": 0},
    ]
    _refused(article, analyst, monitor, figures, "go round in a circle")


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        ({"value": 30, "qualifier": "range", "counted": "dead"}, "needs its top value"),
        (
            {"value": 30, "qualifier": "range", "value_high": 20, "counted": "dead"},
            "is below its bottom",
        ),
        ({"value": 3, "counted": "dead", "outcome": "vanished"}, "unknown outcome"),
        ({"value": 3, "counted": "dead", "population": "aliens"}, "unknown population"),
        ({"value": 3, "counted": "dead", "subgroups": ["left-handed"]}, "unknown sub-group"),
        ({"value": 3, "counted": "dead", "basis": "weekly"}, "unknown basis"),
        ({"value": 3, "counted": "dead", "as_of": "9 March"}, "is not a date"),
        ({"value": "many", "counted": "dead"}, "not a number"),
    ],
)
def test_it_refuses_other_bad_figures(article, analyst, monitor, figure, message):
    _refused(article, analyst, monitor, [figure], message)


def test_a_workspace_subgroup_is_accepted_once_it_exists(article, analyst, monitor, admin_user):
    with pytest.raises(ValidationError):
        clean_figures(
            [{"value": 1, "counted": "dead", "subgroups": "Alawites"}], workspace=article.workspace
        )
    subgroup_create(workspace=article.workspace, actor=admin_user, label="Alawites")
    (cleaned,) = clean_figures(
        [{"value": 1, "counted": "dead", "subgroups": "Alawites, children"}],
        workspace=article.workspace,
    )
    assert cleaned["subgroups"] == ["alawites", "children"]


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"value": -1}, "figure_value_not_negative"),
        ({"qualifier": "range", "value_high": 1}, "figure_range_high_not_below_low"),
        ({"qualifier": "range"}, "figure_range_has_high"),
        ({"period_start": D(2025, 3, 9), "period_end": D(2025, 3, 1)}, "figure_period_ends"),
        ({"basis": "weekly"}, "figure_basis_valid"),
        ({"population": "aliens"}, "figure_population_valid"),
    ],
)
def test_the_database_refuses_what_must_never_be(claim, fields, constraint):
    values = {"claim": claim, "value": 5, "counted": "dead", **fields}
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Figure.objects.create(**values)


def test_the_database_refuses_a_figure_that_is_a_part_of_itself(claim):
    figure = claim.figures.get()
    with pytest.raises(IntegrityError, match="figure_not_part_of_itself"), transaction.atomic():
        Figure.objects.filter(pk=figure.pk).update(part_of=figure.pk)


def test_history_records_the_scope(article, analyst, monitor, gazetteer):
    claim = _create(
        article,
        analyst,
        monitor,
        [{"value": 3, "counted": "dead", "place": "Syria", "basis": "incident"}],
    )
    event = AuditEvent.objects.filter(object_type="claim", object_id=str(claim.pk)).get()
    (figure,) = event.changes["figures"][1]
    assert figure["place"] == "Syria" and figure["basis"] == "incident"
    assert figure["outcome"] == "killed"


# The claim form -----------------------------------------------------------------


def _form_data(claim_quote: str, **figure) -> dict:
    data = {
        "quote": claim_quote,
        "source": "",
        "kind": "figure",
        "statement": "",
        "credibility": "6",
        "fig-TOTAL_FORMS": "2",
        "fig-INITIAL_FORMS": "0",
        "fig-MIN_NUM_FORMS": "0",
        "fig-MAX_NUM_FORMS": "20",
        "fig-0-qualifier": "exact",
        "fig-1-qualifier": "exact",
    }
    for name, value in figure.items():
        data[f"fig-0-{name}"] = value
    return data


def _post_form(client, article, monitor, **figure):
    data = _form_data("more than 1,000 people were killed", **figure)
    data["source"] = str(monitor.pk)
    return client.post(
        reverse("claim_new", args=[article.workspace.slug, article.pk]),
        data,
        HTTP_HX_REQUEST="true",
    )


def test_the_form_saves_a_scoped_figure(article, monitor, client_for, analyst, gazetteer):
    response = _post_form(
        client_for(analyst),
        article,
        monitor,
        value="1000",
        qualifier="more_than",
        counted="people killed",
        outcome="killed",
        population="unspecified",
        place="Baniyas (Tartus)",
        as_of="2025-03-09",
        basis="cumulative",
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    figure = Figure.objects.get()
    assert (figure.place, figure.basis, figure.as_of) == (
        gazetteer["baniyas"],
        "cumulative",
        D(2025, 3, 9),
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "-5", "counted": "dead"}, "A count cannot be negative."),
        (
            {
                "value": "5",
                "counted": "dead",
                "period_start": "2025-03-09",
                "period_end": "2025-03-01",
            },
            "The period ends before it starts.",
        ),
        ({"value": "5", "counted": "dead", "place": "Atlantis"}, "is not in this workspace"),
    ],
)
def test_the_form_shows_errors_and_saves_nothing(
    article, monitor, client_for, analyst, gazetteer, fields, message
):
    before = Claim.objects.count()
    response = _post_form(client_for(analyst), article, monitor, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Claim.objects.count() == before


def test_the_form_shows_a_part_larger_than_its_total(article, monitor, client_for, analyst):
    data = _form_data("more than 1,000 people were killed")
    data.update(
        {
            "source": str(monitor.pk),
            "fig-0-value": "236",
            "fig-0-counted": "people killed",
            "fig-1-value": "300",
            "fig-1-counted": "civilians killed",
            "fig-1-part_of": "1",
        }
    )
    response = client_for(analyst).post(
        reverse("claim_new", args=[article.workspace.slug, article.pk]),
        data,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Figure 2: 300 is larger than the total it is a part of" in response.content.decode()
    assert not Claim.objects.filter(quote="more than 1,000 people were killed").exists()


def test_the_form_offers_type_ahead_not_a_list_of_every_place(
    article, client_for, analyst, gazetteer
):
    html = (
        client_for(analyst)
        .get(
            reverse("claim_new", args=[article.workspace.slug, article.pk]), HTTP_HX_REQUEST="true"
        )
        .content.decode()
    )
    assert reverse("complete_places", args=[article.workspace.slug]) in html
    assert "<datalist" in html
    assert "Baniyas" not in html  # no place is listed before anything is typed


def test_editing_shows_the_scope(claim, client_for, analyst, gazetteer):
    claim_update(
        claim=claim,
        actor=analyst,
        expected_version=claim.version,
        figures=[
            {"value": 1000, "counted": "people killed", "place": "Banias", "basis": "cumulative"}
        ],
    )
    html = (
        client_for(analyst)
        .get(reverse("claim_edit", args=[claim.workspace.slug, claim.pk]), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'value="Baniyas (Tartus)"' in html
    assert '<option value="cumulative" selected>' in html


def test_the_form_shows_what_the_words_suggest(workspace, client_for, analyst, gazetteer):
    url = reverse("figure_scope_hint", args=[workspace.slug])
    html = client_for(analyst).get(url, {"fig-0-counted": "civilians killed in Tartous"}).content
    html = html.decode()
    assert "outcome <strong>killed</strong>" in html
    assert "population <strong>civilians</strong>" in html
    assert "place <strong>Tartus (Syria)</strong>" in html


def test_a_suggested_scope_keeps_what_the_workspace_resolves(workspace, gazetteer):
    """An extractor's figure accepted as it is: what the vocabulary and the
    gazetteer cannot resolve is left for the analyst, not refused."""
    (known, unknown) = usable_scope(
        [
            {"value": 5, "counted": "dead", "place": "Banias", "outcome": "killed", "part_of": 1},
            {
                "value": 30,
                "counted": "dead",
                "place": "Atlantis",
                "outcome": "vanished",
                "as_of": "x",
            },
        ],
        workspace=workspace,
    )
    assert (known["place"], known["outcome"], known["part_of"]) == ("Banias", "killed", 1)
    assert "place" not in unknown and "outcome" not in unknown and "as_of" not in unknown
    cleaned = clean_figures([known, unknown], workspace=workspace)
    assert cleaned[0]["place"] == gazetteer["baniyas"] and cleaned[1]["place"] is None
    (bigger,) = usable_scope([{"value": 9, "counted": "dead", "part_of": 0}], workspace=workspace)
    assert "part_of" not in bigger  # a figure cannot be a part of itself
