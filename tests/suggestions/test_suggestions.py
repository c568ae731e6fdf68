"""Suggested claims: the job that proposes them, accepting, editing, dismissing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from claims.exceptions import TransitionNotAllowed
from claims.models import Claim, Source
from claims.services.articles import article_import
from claims.services.claims import claim_create, claim_delete
from claims.services.sources import source_create
from jobs.models import Job
from suggestions.models import ClaimSuggestion
from suggestions.services import (
    suggestion_accept,
    suggestion_dismiss,
    suggestions_accept,
    suggestions_dismiss,
    suggestions_start,
)
from workspaces.exceptions import NotAllowed

MONITOR_SENTENCE = (
    "The Harbour Watch Collective said at least 212 civilians had been killed since Friday, "
    "including 40 children."
)
MINISTRY_SENTENCE = (
    "The Ministry of Coastal Affairs said in a statement that its forces had acted lawfully."
)
MINISTRY_FOLLOW_UP = "The ministry added that 15 officers were wounded."
TOLD_SENTENCE = "A farmer told the Lantern Wire that armed men burned three houses in his village."
PRONOUN_FOLLOW_UP = "It also said that more than 3,000 people had fled."
TEXT = (
    "Shelling hit the river town of Verdal again on Sunday.\n\n"
    f"{MONITOR_SENTENCE}\n\n"
    f"{MINISTRY_SENTENCE} {MINISTRY_FOLLOW_UP}\n\n"
    f"{TOLD_SENTENCE}\n\n"
    f"{PRONOUN_FOLLOW_UP}"
)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def watch(workspace, analyst):
    return source_create(
        workspace=workspace,
        actor=analyst,
        name="Harbour Watch Collective",
        kind="monitor",
        aliases=["HWC"],
    )


@pytest.fixture
def coastal_ministry(workspace, analyst):
    return source_create(
        workspace=workspace, actor=analyst, name="Ministry of Coastal Affairs", kind="government"
    )


@pytest.fixture
def verdal(workspace, analyst, watch, coastal_ministry):
    return article_import(
        workspace=workspace, actor=analyst, title="Shelling in Verdal", body=TEXT, suggest=False
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Start the job and run it as a commit would; return the finished job."""

    def start(article, actor):
        with django_capture_on_commit_callbacks(execute=True):
            job = suggestions_start(article=article, actor=actor)
        job.refresh_from_db()
        return job

    return start


@pytest.fixture
def suggested(verdal, analyst, run):
    run(verdal, analyst)
    return verdal


def _at(article, sentence) -> ClaimSuggestion:
    start = article.body.index(sentence)
    return ClaimSuggestion.objects.get(article=article, start=start, end=start + len(sentence))


# --- The job -------------------------------------------------------------------


def test_it_creates_one_suggestion_per_attributed_sentence(verdal, analyst, run):
    job = run(verdal, analyst)
    assert job.status == Job.Status.SUCCEEDED, job.error
    quotes = list(
        ClaimSuggestion.objects.filter(article=verdal)
        .order_by("start")
        .values_list("quote", flat=True)
    )
    assert quotes == [
        MONITOR_SENTENCE,
        MINISTRY_SENTENCE,
        MINISTRY_FOLLOW_UP,
        TOLD_SENTENCE,
        PRONOUN_FOLLOW_UP,
    ]


def test_it_stores_exact_spans(suggested):
    for suggestion in ClaimSuggestion.objects.filter(article=suggested):
        assert suggested.body[suggestion.start : suggestion.end] == suggestion.quote


def test_it_resolves_a_monitor_and_its_figures(suggested, watch):
    suggestion = _at(suggested, MONITOR_SENTENCE)
    assert suggestion.source == watch
    assert suggestion.kind == Claim.Kind.FIGURE
    assert [(f["value"], f["qualifier"], f["counted"]) for f in suggestion.figures] == [
        (212, "at_least", "civilians killed"),
        (40, "exact", "children killed"),
    ]


def test_it_resolves_the_ministry_follow_up_to_the_earlier_speaker(suggested, coastal_ministry):
    assert _at(suggested, MINISTRY_SENTENCE).source == coastal_ministry
    assert _at(suggested, MINISTRY_FOLLOW_UP).source == coastal_ministry


def test_it_resolves_a_pronoun_to_the_earlier_speaker(suggested, coastal_ministry):
    suggestion = _at(suggested, PRONOUN_FOLLOW_UP)
    assert suggestion.source == coastal_ministry
    assert [(f["value"], f["qualifier"]) for f in suggestion.figures] == [(3000, "more_than")]


def test_it_proposes_a_new_speaker_and_the_intermediary_of_told(suggested):
    suggestion = _at(suggested, TOLD_SENTENCE)
    assert suggestion.source is None
    assert (suggestion.proposed_source_name, suggestion.proposed_source_kind) == (
        "farmer",
        "witness",
    )
    assert suggestion.chain == [{"name": "Lantern Wire", "source": None}]


def test_it_resolves_an_intermediary_that_is_a_known_source(verdal, analyst, workspace, run):
    wire = source_create(
        workspace=workspace, actor=analyst, name="Lantern Wire", kind="news_outlet"
    )
    run(verdal, analyst)
    assert _at(verdal, TOLD_SENTENCE).chain == [{"name": "Lantern Wire", "source": wire.pk}]


def test_it_records_progress_and_the_result(verdal, analyst, run):
    job = run(verdal, analyst)
    assert (job.progress_done, job.progress_total) == (5, 5)
    assert job.result["created"] == 5
    assert "5 new suggestions" in job.message


def test_it_stores_many_suggestions_in_batches(workspace, analyst, watch, run):
    body = "\n\n".join(
        f"The Harbour Watch Collective said {n} people were killed in village number {n}."
        for n in range(101, 131)
    )
    article = article_import(
        workspace=workspace, actor=analyst, title="Thirty", body=body, suggest=False
    )
    job = run(article, analyst)
    assert (job.result["created"], job.progress_done, job.progress_total) == (30, 30, 30)
    batches = AuditEvent.objects.filter(object_type="article", object_id=str(article.pk))
    assert [e.changes for e in batches.filter(action="update").order_by("sequence")] == [
        {"pending_suggestions": [0, 25]},
        {"pending_suggestions": [25, 30]},
    ]


def test_it_creates_nothing_twice_when_run_again(suggested, analyst, run):
    job = run(suggested, analyst)
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["created"] == 0
    assert ClaimSuggestion.objects.filter(article=suggested).count() == 5


def test_it_never_proposes_a_dismissed_suggestion_again(suggested, analyst, run):
    dismissed = _at(suggested, MINISTRY_SENTENCE)
    suggestion_dismiss(suggestion=dismissed, actor=analyst)
    run(suggested, analyst)
    assert ClaimSuggestion.objects.filter(article=suggested).count() == 5
    dismissed.refresh_from_db()
    assert dismissed.status == ClaimSuggestion.Status.DISMISSED


def test_it_never_proposes_an_accepted_suggestion_again(suggested, analyst, run):
    claim = suggestion_accept(suggestion=_at(suggested, MONITOR_SENTENCE), actor=analyst)
    claim_delete(claim=claim, actor=analyst, expected_version=claim.version)
    run(suggested, analyst)
    start = suggested.body.index(MONITOR_SENTENCE)
    assert not ClaimSuggestion.objects.filter(
        article=suggested, start=start, status=ClaimSuggestion.Status.PENDING
    ).exists()


def test_it_skips_a_span_already_annotated_as_a_claim(verdal, analyst, coastal_ministry, run):
    claim_create(article=verdal, actor=analyst, source=coastal_ministry, quote=MINISTRY_SENTENCE)
    job = run(verdal, analyst)
    assert job.result["created"] == 4
    assert not ClaimSuggestion.objects.filter(quote=MINISTRY_SENTENCE).exists()


def test_it_audits_the_suggestions_it_adds(suggested, analyst):
    event = AuditEvent.objects.get(
        object_type="article", object_id=str(suggested.pk), action="update"
    )
    assert event.changes == {"pending_suggestions": [0, 5]}
    assert event.actor == analyst


def test_it_creates_no_claim_by_itself(suggested):
    assert not Claim.objects.filter(article=suggested).exists()


def test_it_refuses_a_reviewer_starting_the_job(verdal, reviewer):
    with pytest.raises(NotAllowed):
        suggestions_start(article=verdal, actor=reviewer)


# --- Accepting and dismissing --------------------------------------------------


def test_it_accepts_a_suggestion_as_a_claim_with_its_source_and_figures(suggested, analyst, watch):
    suggestion = _at(suggested, MONITOR_SENTENCE)
    claim = suggestion_accept(suggestion=suggestion, actor=analyst)
    assert (claim.quote, claim.start, claim.end) == (
        MONITOR_SENTENCE,
        suggestion.start,
        suggestion.end,
    )
    assert (claim.source, claim.kind, claim.created_by) == (watch, Claim.Kind.FIGURE, analyst)
    assert [(int(f.value), f.qualifier, f.counted) for f in claim.figures.all()] == [
        (212, "at_least", "civilians killed"),
        (40, "exact", "children killed"),
    ]
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.claim, suggestion.decided_by) == (
        ClaimSuggestion.Status.ACCEPTED,
        claim,
        analyst,
    )


def test_it_creates_the_proposed_speaker_and_intermediary_on_accept(suggested, analyst):
    claim = suggestion_accept(suggestion=_at(suggested, TOLD_SENTENCE), actor=analyst)
    assert (claim.source.name, claim.source.kind) == ("farmer", "witness")
    assert [via.source.name for via in claim.intermediaries.all()] == ["Lantern Wire"]
    assert AuditEvent.objects.filter(object_type="source", action="create").count() == 4


def test_it_reuses_an_existing_source_of_the_proposed_name(suggested, analyst, workspace):
    farmer = source_create(workspace=workspace, actor=analyst, name="Farmer", kind="witness")
    claim = suggestion_accept(suggestion=_at(suggested, TOLD_SENTENCE), actor=analyst)
    assert claim.source == farmer
    assert Source.objects.filter(workspace=workspace, name__iexact="farmer").count() == 1


def test_it_audits_the_decision(suggested, analyst):
    suggestion = _at(suggested, MONITOR_SENTENCE)
    claim = suggestion_accept(suggestion=suggestion, actor=analyst)
    event = AuditEvent.objects.get(object_type="claimsuggestion", object_id=str(suggestion.pk))
    assert event.action == AuditEvent.Action.UPDATE
    assert event.changes == {"status": ["pending", "accepted"], "claim": [None, claim.pk]}
    assert AuditEvent.objects.filter(
        object_type="claim", object_id=str(claim.pk), action="create"
    ).exists()


def test_it_refuses_accepting_a_suggestion_twice(suggested, analyst):
    suggestion = _at(suggested, MONITOR_SENTENCE)
    suggestion_accept(suggestion=suggestion, actor=analyst)
    with pytest.raises(TransitionNotAllowed, match="already accepted"):
        suggestion_accept(suggestion=suggestion, actor=analyst)
    assert Claim.objects.count() == 1


def test_it_refuses_accepting_a_passage_claimed_meanwhile(suggested, analyst, watch):
    suggestion = _at(suggested, MONITOR_SENTENCE)
    claim_create(article=suggested, actor=analyst, source=watch, quote=MONITOR_SENTENCE)
    with pytest.raises(ValidationError, match="already annotates exactly this passage"):
        suggestion_accept(suggestion=suggestion, actor=analyst)
    assert Claim.objects.count() == 1


def test_it_accepts_in_bulk(suggested, analyst):
    claims = suggestions_accept(article=suggested, actor=analyst)
    assert len(claims) == 5
    assert not ClaimSuggestion.objects.filter(status=ClaimSuggestion.Status.PENDING).exists()


def test_it_accepts_only_the_selected_suggestions(suggested, analyst):
    chosen = [_at(suggested, MONITOR_SENTENCE).pk, _at(suggested, MINISTRY_SENTENCE).pk]
    suggestions_accept(article=suggested, actor=analyst, ids=chosen)
    assert set(Claim.objects.values_list("quote", flat=True)) == {
        MONITOR_SENTENCE,
        MINISTRY_SENTENCE,
    }


def test_a_bulk_accept_is_all_or_nothing_and_names_the_failing_suggestion(suggested, analyst):
    broken = _at(suggested, PRONOUN_FOLLOW_UP)
    broken.figures = [{"value": 3000, "qualifier": "more_than", "counted": ""}]
    broken.save()
    with pytest.raises(ValidationError) as caught:
        suggestions_accept(article=suggested, actor=analyst)
    assert "It also said that more than 3,000 people had fled." in caught.value.messages[0]
    assert "say what is counted" in caught.value.messages[0]
    assert not Claim.objects.exists()
    assert not Source.objects.filter(name__in=["farmer", "Lantern Wire"]).exists()
    assert ClaimSuggestion.objects.filter(status=ClaimSuggestion.Status.PENDING).count() == 5


def test_it_refuses_a_bulk_selection_with_a_decided_suggestion(suggested, analyst):
    decided = _at(suggested, MONITOR_SENTENCE)
    suggestion_dismiss(suggestion=decided, actor=analyst)
    other = _at(suggested, MINISTRY_SENTENCE)
    with pytest.raises(ValidationError, match="no longer pending"):
        suggestions_accept(article=suggested, actor=analyst, ids=[decided.pk, other.pk])
    assert not Claim.objects.exists()


def test_it_dismisses_in_bulk(suggested, analyst):
    assert suggestions_dismiss(article=suggested, actor=analyst) == 5
    assert ClaimSuggestion.objects.filter(status=ClaimSuggestion.Status.DISMISSED).count() == 5
    assert not Claim.objects.exists()


def test_it_refuses_a_reviewer_accepting(suggested, reviewer):
    with pytest.raises(NotAllowed):
        suggestion_accept(suggestion=_at(suggested, MONITOR_SENTENCE), actor=reviewer)
    assert not Claim.objects.exists()


def test_it_refuses_a_reviewer_dismissing(suggested, reviewer):
    with pytest.raises(NotAllowed):
        suggestions_dismiss(article=suggested, actor=reviewer)


def test_an_admin_may_accept(suggested, admin_user):
    claim = suggestion_accept(suggestion=_at(suggested, MINISTRY_SENTENCE), actor=admin_user)
    assert claim.created_by == admin_user


# --- The views -----------------------------------------------------------------


def _url(name, workspace, pk):
    return reverse(name, args=[workspace.slug, pk])


def test_the_article_page_loads_the_suggestions_section(client_for, analyst, workspace, suggested):
    html = client_for(analyst).get(_url("article_detail", workspace, suggested.pk)).content.decode()
    assert f'hx-get="{_url("suggestion_list", workspace, suggested.pk)}"' in html


def test_it_lists_pending_suggestions_with_speaker_chain_and_figures(
    client_for, analyst, workspace, suggested
):
    response = client_for(analyst).get(_url("suggestion_list", workspace, suggested.pk), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="suggestion ') == 5
    assert "Harbour Watch Collective" in html
    assert "new: farmer" in html
    assert "via Lantern Wire" in html
    assert "at least 212 civilians killed" in html
    assert "Accept selected" in html


def test_the_list_leaves_out_a_passage_annotated_by_hand_meanwhile(
    client_for, analyst, workspace, suggested, watch
):
    claim_create(article=suggested, actor=analyst, source=watch, quote=MONITOR_SENTENCE)
    html = client_for(analyst).get(_url("suggestion_list", workspace, suggested.pk), **HTMX)
    assert f'id="suggestion-{_at(suggested, MONITOR_SENTENCE).pk}"' not in html.content.decode()
    assert html.content.decode().count('class="suggestion ') == 4


def test_it_shows_a_reviewer_the_list_read_only(client_for, reviewer, workspace, suggested):
    html = client_for(reviewer).get(_url("suggestion_list", workspace, suggested.pk)).content
    assert b"Harbour Watch Collective" in html
    assert b"Accept" not in html


def test_accepting_from_the_page_returns_the_new_highlight_out_of_band(
    client_for, analyst, workspace, suggested
):
    suggestion = _at(suggested, MONITOR_SENTENCE)
    response = client_for(analyst).post(_url("suggestion_accept", workspace, suggestion.pk), **HTMX)
    html = response.content.decode()
    claim = Claim.objects.get()
    assert response.status_code == 200
    assert '<div id="article-text" class="article-text" hx-swap-oob="true"' in html
    assert f'data-claims="{claim.pk}"' in html
    assert '<section id="claim-list" class="claim-list" hx-swap-oob="true"' in html
    assert f'id="suggestion-{suggestion.pk}"' not in html
    assert html.count('class="suggestion ') == 4


def test_dismissing_from_the_page_updates_the_list_only(client_for, analyst, workspace, suggested):
    suggestion = _at(suggested, MINISTRY_SENTENCE)
    response = client_for(analyst).post(
        _url("suggestion_dismiss", workspace, suggestion.pk), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="suggestion-{suggestion.pk}"' not in html
    assert 'id="article-text"' not in html
    suggestion.refresh_from_db()
    assert suggestion.status == ClaimSuggestion.Status.DISMISSED


def test_it_accepts_the_selected_suggestions_from_the_page(
    client_for, analyst, workspace, suggested
):
    chosen = [_at(suggested, MONITOR_SENTENCE).pk, _at(suggested, TOLD_SENTENCE).pk]
    response = client_for(analyst).post(
        _url("suggestions_bulk", workspace, suggested.pk),
        {"action": "accept_selected", "ids": chosen},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Claim.objects.count() == 2
    for claim in Claim.objects.all():
        assert f'data-claims="{claim.pk}"' in html


def test_it_dismisses_all_from_the_page(client_for, analyst, workspace, suggested):
    response = client_for(analyst).post(
        _url("suggestions_bulk", workspace, suggested.pk), {"action": "dismiss_all"}, **HTMX
    )
    assert response.status_code == 200
    assert b"No pending suggestions." in response.content
    assert not ClaimSuggestion.objects.filter(status=ClaimSuggestion.Status.PENDING).exists()


def test_a_failed_bulk_accept_answers_with_the_suggestion_named(
    client_for, analyst, workspace, suggested
):
    broken = _at(suggested, TOLD_SENTENCE)
    broken.figures = [{"value": -3, "qualifier": "exact", "counted": "houses burned"}]
    broken.save()
    response = client_for(analyst).post(
        _url("suggestions_bulk", workspace, suggested.pk), {"action": "accept_all"}, **HTMX
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#alerts"
    assert "A farmer told the Lantern Wire" in response.content.decode()
    assert not Claim.objects.exists()


def test_it_refuses_a_reviewer_on_the_page(client_for, reviewer, workspace, suggested):
    suggestion = _at(suggested, MONITOR_SENTENCE)
    response = client_for(reviewer).post(
        _url("suggestion_accept", workspace, suggestion.pk), **HTMX
    )
    assert response.status_code == 403
    assert not Claim.objects.exists()


@pytest.mark.parametrize("name", ["suggestion_accept", "suggestion_dismiss", "suggestion_edit"])
def test_another_workspaces_suggestion_is_not_found(
    client_for, outsider, workspace, suggested, name
):
    suggestion = _at(suggested, MONITOR_SENTENCE)
    client = client_for(outsider)
    url = reverse(name, args=["desk-b", suggestion.pk])
    response = client.get(url) if name == "suggestion_edit" else client.post(url, **HTMX)
    assert response.status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == ClaimSuggestion.Status.PENDING


def test_an_outsider_cannot_see_the_list(client_for, outsider, workspace, suggested):
    response = client_for(outsider).get(_url("suggestion_list", workspace, suggested.pk))
    assert response.status_code == 404


def test_the_edit_form_is_prefilled_from_the_suggestion(
    client_for, analyst, workspace, suggested, watch
):
    suggestion = _at(suggested, MONITOR_SENTENCE)
    response = client_for(analyst).get(_url("suggestion_edit", workspace, suggestion.pk), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-post="{_url("suggestion_edit", workspace, suggestion.pk)}"' in html
    assert f'<option value="{watch.pk}" selected>' in html
    assert f'name="start" value="{suggestion.start}"' in html
    assert 'name="fig-0-counted" value="civilians killed"' in html
    assert 'name="fig-1-value" value="40"' in html


def test_the_edit_form_prefills_a_new_speaker_as_a_new_source(
    client_for, analyst, workspace, suggested
):
    suggestion = _at(suggested, TOLD_SENTENCE)
    html = (
        client_for(analyst)
        .get(_url("suggestion_edit", workspace, suggestion.pk), **HTMX)
        .content.decode()
    )
    assert 'name="inline-new_source_name" value="farmer"' in html
    assert "Lantern Wire" in html


def test_saving_the_edited_suggestion_accepts_it(
    client_for, analyst, workspace, suggested, coastal_ministry
):
    suggestion = _at(suggested, MINISTRY_FOLLOW_UP)
    data = {
        "start": suggestion.start,
        "end": suggestion.end,
        "quote": suggestion.quote,
        "source": coastal_ministry.pk,
        "kind": "figure",
        "statement": "Ministry: 15 officers wounded",
        "credibility": 3,
        "fig-TOTAL_FORMS": 1,
        "fig-INITIAL_FORMS": 0,
        "fig-0-qualifier": "exact",
        "fig-0-value": "15",
        "fig-0-counted": "police officers wounded",
    }
    response = client_for(analyst).post(
        _url("suggestion_edit", workspace, suggestion.pk), data, **HTMX
    )
    html = response.content.decode()
    claim = Claim.objects.get()
    assert response.status_code == 200, html
    assert (claim.statement, claim.credibility) == ("Ministry: 15 officers wounded", 3)
    assert claim.figures.get().counted == "police officers wounded"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.claim) == (ClaimSuggestion.Status.ACCEPTED, claim)
    assert f'data-claim-id="{claim.pk}"' in html
    assert f'data-claims="{claim.pk}"' in html
    assert '<section id="suggestions" class="suggestions" hx-swap-oob="true"' in html


def test_an_invalid_edited_suggestion_shows_the_form_again(
    client_for, analyst, workspace, suggested
):
    suggestion = _at(suggested, MINISTRY_FOLLOW_UP)
    data = {
        "quote": suggestion.quote,
        "kind": "figure",
        "credibility": 6,
        "fig-TOTAL_FORMS": 0,
        "fig-INITIAL_FORMS": 0,
    }
    response = client_for(analyst).post(
        _url("suggestion_edit", workspace, suggestion.pk), data, **HTMX
    )
    assert response.status_code == 422
    assert b'id="claim-form"' in response.content
    assert not Claim.objects.exists()


def test_the_button_runs_the_job_and_shows_its_suggestions(
    client_for, analyst, workspace, verdal, django_capture_on_commit_callbacks
):
    client = client_for(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("suggestions_run", workspace, verdal.pk), **HTMX)
    assert response.status_code == 200
    assert Job.objects.get().kind == Job.Kind.SUGGEST_CLAIMS
    html = client.get(_url("suggestion_list", workspace, verdal.pk), **HTMX).content.decode()
    assert html.count('class="suggestion ') == 5
    assert "Succeeded" in html


def test_the_progress_line_polls_while_the_job_runs(client_for, analyst, workspace, verdal):
    suggestions_start(article=verdal, actor=analyst)  # never committed: stays queued
    html = (
        client_for(analyst)
        .get(_url("suggestion_job_status", workspace, verdal.pk), **HTMX)
        .content.decode()
    )
    assert 'hx-trigger="every 1s"' in html
    assert 'id="suggestion-items"' not in html


def test_the_progress_line_brings_the_list_once_the_job_ends(
    client_for, analyst, workspace, suggested
):
    html = (
        client_for(analyst)
        .get(_url("suggestion_job_status", workspace, suggested.pk), **HTMX)
        .content.decode()
    )
    assert 'hx-trigger="every 1s"' not in html
    assert '<div id="suggestion-items" hx-swap-oob="true"' in html
    assert html.count('class="suggestion ') == 5


def _many_suggestions(article, count, sources):
    ClaimSuggestion.objects.bulk_create(
        ClaimSuggestion(
            workspace=article.workspace,
            article=article,
            start=i,
            end=i + 6,
            quote=article.body[i : i + 6],
            source=sources[i % len(sources)] if i % 3 else None,
            proposed_source_name="" if i % 3 else f"Speaker {i}",
            chain=[{"name": "Lantern Wire", "source": None}],
            figures=[{"value": i, "qualifier": "about", "counted": "people"}],
        )
        for i in range(count)
    )


def _queries_for_list(client, workspace, article):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url("suggestion_list", workspace, article.pk), **HTMX)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_for_5_and_50_suggestions(
    client_for, analyst, workspace, watch, coastal_ministry, django_assert_num_queries
):
    client = client_for(analyst)
    small = article_import(workspace=workspace, actor=analyst, title="Small", body="x" * 400)
    large = article_import(workspace=workspace, actor=analyst, title="Large", body="y" * 400)
    _many_suggestions(small, 5, [watch, coastal_ministry])
    _many_suggestions(large, 50, [watch, coastal_ministry])
    _queries_for_list(client, workspace, small)  # warm the session
    assert _queries_for_list(client, workspace, small) == _queries_for_list(
        client, workspace, large
    )
    # session, user, workspace, membership, article, suggestions with sources, latest job
    with django_assert_num_queries(7):
        client.get(_url("suggestion_list", workspace, large.pk), **HTMX)


def test_importing_an_article_starts_the_suggestion_job(
    workspace, analyst, watch, coastal_ministry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = article_import(workspace=workspace, actor=analyst, title="Verdal", body=TEXT)
    job = Job.objects.of_kind(Job.Kind.SUGGEST_CLAIMS).for_target(article).get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert ClaimSuggestion.objects.filter(article=article).exists()
    assert not Claim.objects.filter(article=article).exists()  # nothing without an analyst
