"""Claims: anchoring rules, the chain, figures, optimistic locking, the views."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from claims.exceptions import StaleVersion
from claims.models import Claim
from claims.services.claims import claim_create, claim_delete, claim_update
from claims.services.sources import source_create
from tests.conftest import ARTICLE_TEXT
from workspaces.exceptions import NotAllowed

QUOTE = "gunmen fired at close range"
START = ARTICLE_TEXT.index(QUOTE)


def test_it_creates_a_claim_with_its_selectors(article, analyst, monitor):
    claim = claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        start=START,
        end=START + len(QUOTE),
        quote=QUOTE,
    )
    assert claim.quote == QUOTE
    assert claim.prefix == ARTICLE_TEXT[START - 32 : START]
    assert claim.suffix == ARTICLE_TEXT[START + len(QUOTE) :][:32]
    assert claim.status == Claim.Status.NEW
    assert claim.version == 1
    assert claim.credibility == 6


def test_it_locates_a_typed_quote_that_occurs_once(article, analyst, monitor):
    claim = claim_create(article=article, actor=analyst, source=monitor, quote=QUOTE)
    assert (claim.start, claim.end) == (START, START + len(QUOTE))


def test_it_refuses_a_typed_quote_that_occurs_twice(article, analyst, monitor):
    with pytest.raises(ValidationError, match="more than once"):
        claim_create(article=article, actor=analyst, source=monitor, quote="the")


@pytest.mark.parametrize(("start", "end"), [(-1, 5), (5, 5), (10, 5), (0, len(ARTICLE_TEXT) + 1)])
def test_it_refuses_offsets_outside_the_text(article, analyst, monitor, start, end):
    with pytest.raises(ValidationError, match="outside the article text"):
        claim_create(
            article=article, actor=analyst, source=monitor, start=start, end=end, quote=None
        )
    assert not Claim.objects.exists()


def test_it_refuses_a_quote_that_does_not_match_the_offsets(article, analyst, monitor):
    with pytest.raises(ValidationError, match="does not match"):
        claim_create(
            article=article,
            actor=analyst,
            source=monitor,
            start=START,
            end=START + len(QUOTE),
            quote="gunmen fired at long range",
        )
    assert not Claim.objects.exists()


def test_it_refuses_a_source_from_another_workspace(article, analyst, other_workspace, outsider):
    foreign = source_create(workspace=other_workspace, actor=outsider, name="Foreign")
    with pytest.raises(ValidationError, match="another workspace"):
        claim_create(article=article, actor=analyst, source=foreign, quote=QUOTE)
    assert not Claim.objects.exists()


def test_it_refuses_an_intermediary_from_another_workspace(
    article, analyst, monitor, other_workspace, outsider
):
    foreign = source_create(workspace=other_workspace, actor=outsider, name="Foreign")
    with pytest.raises(ValidationError, match="another workspace"):
        claim_create(
            article=article, actor=analyst, source=monitor, quote=QUOTE, intermediaries=[foreign]
        )


def test_it_keeps_the_attribution_chain_in_order(article, analyst, monitor, agency, ministry):
    claim = claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote=QUOTE,
        intermediaries=[ministry, agency],
    )
    assert [i.source for i in claim.intermediaries.all()] == [ministry, agency]


def test_it_stores_figures(claim):
    figure = claim.figures.get()
    assert (figure.value, figure.qualifier, figure.counted) == (1000, "more_than", "people killed")
    assert str(figure) == "more than 1,000 people killed"


def test_it_refuses_a_figure_without_what_it_counts(article, analyst, monitor):
    with pytest.raises(ValidationError, match="say what is counted"):
        claim_create(
            article=article,
            actor=analyst,
            source=monitor,
            quote=QUOTE,
            figures=[{"value": 3, "counted": ""}],
        )
    assert not Claim.objects.exists()


def test_it_refuses_a_reviewer_annotating(article, reviewer, monitor):
    with pytest.raises(NotAllowed):
        claim_create(article=article, actor=reviewer, source=monitor, quote=QUOTE)


def test_it_updates_a_claim_and_bumps_its_version(claim, analyst, ministry):
    updated = claim_update(
        claim=claim, actor=analyst, expected_version=1, source=ministry, statement="Changed"
    )
    assert updated.version == 2
    assert updated.source == ministry
    event = AuditEvent.objects.filter(object_type="claim", action="update").get()
    assert event.changes["source_id"] == [claim.source_id, ministry.pk]
    assert event.changes["version"] == [1, 2]


def test_it_refuses_a_stale_update_and_keeps_the_first(claim, analyst, ministry, agency):
    claim_update(claim=claim, actor=analyst, expected_version=1, source=ministry)
    with pytest.raises(StaleVersion) as refused:
        claim_update(
            claim=claim, actor=analyst, expected_version=1, source=agency, statement="Second"
        )
    assert "source_id" in refused.value.changed_fields
    claim.refresh_from_db()
    assert claim.source == ministry
    assert claim.version == 2
    assert claim.statement == "More than 1,000 killed"


def test_it_rolls_back_the_version_bump_when_an_update_is_invalid(claim, analyst):
    with pytest.raises(ValidationError):
        claim_update(claim=claim, actor=analyst, expected_version=1, start=0, end=5, quote="wrong")
    claim.refresh_from_db()
    assert claim.version == 1


def test_it_deletes_a_claim_and_records_it(claim, analyst):
    claim_delete(claim=claim, actor=analyst, expected_version=1)
    assert not Claim.objects.exists()
    assert AuditEvent.objects.filter(object_type="claim", action="delete").exists()


def test_it_refuses_a_stale_delete(claim, analyst):
    claim_update(claim=claim, actor=analyst, expected_version=1, statement="x")
    with pytest.raises(StaleVersion):
        claim_delete(claim=claim, actor=analyst, expected_version=1)
    assert Claim.objects.exists()


# --- Views -------------------------------------------------------------------


def _form(source, **extra):
    data = {
        "quote": QUOTE,
        "start": START,
        "end": START + len(QUOTE),
        "source": source.pk,
        "kind": "testimony",
        "statement": "",
        "credibility": 6,
        "fig-TOTAL_FORMS": 2,
        "fig-INITIAL_FORMS": 0,
        "fig-MIN_NUM_FORMS": 0,
        "fig-MAX_NUM_FORMS": 20,
        "fig-0-qualifier": "exact",
        "fig-0-value": "",
        "fig-0-counted": "",
        "fig-1-qualifier": "exact",
        "fig-1-value": "",
        "fig-1-counted": "",
    }
    data.update(extra)
    return data


def test_it_prefills_the_claim_form_from_a_selection(client_for, analyst, article, workspace):
    url = reverse("claim_new", args=[workspace.slug, article.pk])
    response = client_for(analyst).get(
        url, {"start": START, "end": START + len(QUOTE)}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{START}"' in html
    assert QUOTE in html
    assert "<html" not in html  # a fragment, not a page


def test_it_saves_a_claim_over_htmx_and_returns_the_new_highlight(
    client_for, analyst, article, workspace, monitor
):
    url = reverse("claim_new", args=[workspace.slug, article.pk])
    data = _form(
        monitor, **{"fig-0-value": "3", "fig-0-counted": "bodies", "fig-0-qualifier": "at_least"}
    )
    response = client_for(analyst).post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    claim = Claim.objects.get()
    assert response.status_code == 200
    assert f'data-claim-id="{claim.pk}"' in html
    assert 'id="article-text" class="article-text" hx-swap-oob="true"' in html
    assert f'data-claims="{claim.pk}"' in html
    assert 'id="claim-list" class="claim-list" hx-swap-oob="true"' in html
    assert claim.figures.get().counted == "bodies"


def test_it_shows_form_errors_in_the_panel(client_for, analyst, article, workspace, monitor):
    url = reverse("claim_new", args=[workspace.slug, article.pk])
    response = client_for(analyst).post(
        url, _form(monitor, quote="not the text"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "does not match the article text" in response.content.decode()
    assert not Claim.objects.exists()


def test_it_edits_a_claim(client_for, analyst, claim, workspace, ministry):
    url = reverse("claim_edit", args=[workspace.slug, claim.pk])
    data = _form(
        ministry, quote=claim.quote, start=claim.start, end=claim.end, version=1, kind="figure"
    )
    response = client_for(analyst).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.source == ministry
    assert claim.figures.count() == 0


def test_it_edits_the_short_summary_and_records_it(client_for, analyst, claim, workspace, monitor):
    url = reverse("claim_edit", args=[workspace.slug, claim.pk])
    data = _form(
        monitor,
        quote=claim.quote,
        start=claim.start,
        end=claim.end,
        version=1,
        kind="figure",
        summary="  Over 1,000   killed ",
    )
    response = client_for(analyst).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.summary == "Over 1,000 killed"
    event = AuditEvent.objects.filter(object_type="claim", action="update").latest("sequence")
    assert event.changes["summary"] == ["", "Over 1,000 killed"]
    too_long = _form(monitor, quote=claim.quote, version=2, summary="x" * 76)
    response = client_for(analyst).post(url, too_long, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "at most 75 characters" in response.content.decode()


def test_it_answers_409_with_what_changed_on_a_stale_edit(
    client_for, analyst, claim, workspace, ministry, agency
):
    claim_update(claim=claim, actor=analyst, expected_version=1, source=ministry)
    url = reverse("claim_edit", args=[workspace.slug, claim.pk])
    data = _form(agency, quote=claim.quote, start=claim.start, end=claim.end, version=1)
    response = client_for(analyst).post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone saved this claim while you were editing" in html
    assert "source_id" in html
    claim.refresh_from_db()
    assert claim.source == ministry


def test_it_deletes_a_claim_over_htmx(client_for, analyst, claim, workspace):
    url = reverse("claim_delete", args=[workspace.slug, claim.pk])
    response = client_for(analyst).post(url, {"version": 1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Claim deleted" in response.content.decode()
    assert not Claim.objects.exists()


def test_it_refuses_a_reviewer_deleting_with_403_and_a_message(
    client_for, reviewer, claim, workspace
):
    url = reverse("claim_delete", args=[workspace.slug, claim.pk])
    response = client_for(reviewer).post(url, {"version": 1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "cannot delete claims" in response.content.decode()
    assert response["HX-Retarget"] == "#alerts"
    assert Claim.objects.exists()


def test_it_shows_a_claim_panel_and_a_claim_page(client_for, analyst, claim, workspace):
    client = client_for(analyst)
    url = reverse("claim_detail", args=[workspace.slug, claim.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    page = client.get(url).content.decode()
    assert "more than 1,000 people were killed" in fragment and "<html" not in fragment
    assert "<html" in page and "History" in page


def test_it_lists_every_claim_covering_a_clicked_offset(
    client_for, analyst, claim, article, workspace, ministry
):
    inner = claim_create(article=article, actor=analyst, source=ministry, quote="1,000 people")
    url = reverse("claims_at_offset", args=[workspace.slug, article.pk])
    response = client_for(analyst).get(url, {"offset": inner.start + 1}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "2 claims cover this passage" in html
    assert reverse("claim_detail", args=[workspace.slug, claim.pk]) in html
    assert reverse("claim_detail", args=[workspace.slug, inner.pk]) in html


def test_it_creates_a_source_inline_and_selects_it(client_for, analyst, workspace):
    url = reverse("source_inline_create", args=[workspace.slug])
    response = client_for(analyst).post(
        url,
        {
            "inline-new_source_name": "Local Council",
            "inline-new_source_kind": "government",
            "inline-new_source_reliability": "C",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    source = workspace.sources.get(name="Local Council")
    assert f'<option value="{source.pk}" selected>' in html


def test_it_refuses_a_duplicate_inline_source(client_for, analyst, workspace, monitor):
    url = reverse("source_inline_create", args=[workspace.slug])
    response = client_for(analyst).post(
        url,
        {
            "inline-new_source_name": "Monitoring Group",
            "inline-new_source_kind": "monitor",
            "inline-new_source_reliability": "C",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert workspace.sources.filter(name="Monitoring Group").count() == 1
