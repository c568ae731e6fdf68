"""New versions of an article: claims re-anchored on the edited text (exact,
approximate, orphaned), never moved silently; orphans re-placed by hand."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from claims.exceptions import StaleVersion
from claims.models import Article, Claim
from claims.services import versions
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.evidence import evidence_create
from claims.services.versions import article_version_import, claim_replace
from claims.services.workflow import claim_transition
from jobs.models import Job
from tests.conftest import ARTICLE_TEXT
from tests.jobs_support import jobs_in_process
from texttools.anchors import context_around, offset_mapper, reanchor
from workspaces.exceptions import NotAllowed

State = Claim.AnchorState


@pytest.fixture(autouse=True)
def _jobs_run_in_process(settings):
    """Jobs run in-process here, even where REDIS_URL is set (CI)."""
    with jobs_in_process(settings):
        yield


FIRE = "gunmen fired at close range"
TOLL = "more than 1,000 people were killed"
BLAME = 'blamed the violence on "individual actions"'


# The algorithm (pure) -----------------------------------------------------------


def _attempt(old: str, new: str, quote: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = old.index(quote, start + 1)
    prefix, suffix = context_around(old, start, start + len(quote))
    return reanchor(
        new, quote=quote, prefix=prefix, suffix=suffix, expected=offset_mapper(old, new)(start)
    )


def test_it_finds_an_unchanged_quote_where_it_was():
    attempt = _attempt(ARTICLE_TEXT, ARTICLE_TEXT, FIRE)
    start = ARTICLE_TEXT.index(FIRE)
    assert attempt.placement.start == start
    assert attempt.placement.method == "exact"


def test_it_shifts_offsets_after_an_inserted_paragraph():
    new = "An editor's note was added above the story.\n\n" + ARTICLE_TEXT
    attempt = _attempt(ARTICLE_TEXT, new, FIRE)
    assert new[attempt.placement.start : attempt.placement.end] == FIRE
    assert attempt.placement.start == ARTICLE_TEXT.index(FIRE) + 45


def test_it_places_a_reworded_quote_approximately():
    new = ARTICLE_TEXT.replace(FIRE, "gunmen opened fire at very close range")
    attempt = _attempt(ARTICLE_TEXT, new, FIRE)
    assert attempt.placement.method == "approximate"
    assert new[attempt.placement.start : attempt.placement.end] == (
        "gunmen opened fire at very close range"
    )
    assert 0.75 <= attempt.placement.score < 1


DELETED = ARTICLE_TEXT.replace(
    "Residents told a news agency that gunmen fired at close range.",
    "A news agency said the range of the gunmen's weapons was unclear.",
)


def test_it_orphans_a_deleted_passage():
    attempt = _attempt(ARTICLE_TEXT, DELETED, FIRE)
    assert attempt.placement is None
    assert 0 < attempt.best_score < 0.75


def test_it_orphans_a_passage_whose_numbers_changed():
    new = ARTICLE_TEXT.replace(TOLL, "more than 1,300 people were killed")
    attempt = _attempt(ARTICLE_TEXT, new, TOLL)
    assert attempt.placement is None
    assert "different numbers" in attempt.reason


REPEATED = (
    "The ministry said the road was closed.\n\n"
    "Aid groups asked for access to the villages.\n\n"
    "The ministry said the road was closed.\n\n"
    "Nobody could confirm it."
)


def test_it_places_a_repeated_quote_on_the_occurrence_nearest_its_old_position():
    quote = "The ministry said the road was closed."
    new = "Update: a convoy left at dawn.\n\n" + REPEATED
    second = _attempt(REPEATED, new, quote, occurrence=1)
    first = _attempt(REPEATED, new, quote, occurrence=0)
    assert second.placement.start == new.rindex(quote)
    assert first.placement.start == new.index(quote)


def test_it_keeps_its_work_bounded_on_a_long_text():
    paragraph = "Fighting continued in the hills while aid convoys waited at the checkpoint.\n\n"
    old = paragraph * 400 + ARTICLE_TEXT
    new = paragraph * 400 + ARTICLE_TEXT.replace(FIRE, "gunmen opened fire at close range")
    attempt = _attempt(old, new, FIRE)
    assert new[attempt.placement.start : attempt.placement.end] == (
        "gunmen opened fire at close range"
    )


# The service ------------------------------------------------------------------


@pytest.fixture
def claims(article, analyst, monitor, ministry):
    """Three claims on the article: the toll, the ministry's blame, the shooting."""
    return [
        claim_create(article=article, actor=analyst, source=monitor, quote=TOLL),
        claim_create(article=article, actor=analyst, source=ministry, quote=BLAME),
        claim_create(article=article, actor=analyst, source=monitor, quote=FIRE),
    ]


def _new_version(article, actor, body, **kwargs):
    return article_version_import(article=article, actor=actor, body=body, **kwargs)


def _reload(claims):
    return [Claim.objects.get(pk=c.pk) for c in claims]


def _reanchor_events(claim):
    return AuditEvent.objects.filter(
        object_type="claim", object_id=str(claim.pk), changes__has_key="reanchor"
    )


def test_it_moves_every_claim_of_an_unchanged_text(article, analyst, claims):
    imported = _new_version(article, analyst, ARTICLE_TEXT, title="Clashes (corrected)")
    new = imported.article
    assert new.previous_version == article
    assert new.title == "Clashes (corrected)"
    assert imported.result["exact"] == 3
    for before, after in zip(claims, _reload(claims), strict=True):
        assert after.article == new
        assert (after.start, after.end, after.quote) == (before.start, before.end, before.quote)
        assert after.anchor_state == State.ANCHORED
        assert after.version == before.version + 1


def test_it_shifts_claims_after_an_inserted_paragraph(article, analyst, claims):
    body = "Editor's note: this story was updated.\n\n" + ARTICLE_TEXT
    new = _new_version(article, analyst, body).article
    for claim in _reload(claims):
        assert claim.article == new
        assert new.body[claim.start : claim.end] == claim.quote
        assert claim.prefix == new.body[max(0, claim.start - 32) : claim.start]
    assert _reload(claims)[0].start == claims[0].start + len(
        "Editor's note: this story was updated.\n\n"
    )


def test_it_reanchors_a_reworded_quote_and_marks_it(article, analyst, claims):
    body = ARTICLE_TEXT.replace(FIRE, "gunmen opened fire at close range")
    imported = _new_version(article, analyst, body)
    fire = _reload(claims)[2]
    assert fire.article == imported.article
    assert fire.quote == "gunmen opened fire at close range"
    assert fire.anchor_state == State.REANCHORED
    assert imported.result == {
        "exact": 2,
        "approximate": 1,
        "orphaned": 0,
        "skipped": 0,
        "moved": 3,
    }


def test_it_orphans_a_claim_whose_passage_was_deleted(article, analyst, claims):
    imported = _new_version(article, analyst, DELETED)
    fire = _reload(claims)[2]
    assert fire.article == article  # stays where its quote still is
    assert (fire.start, fire.end, fire.quote) == (claims[2].start, claims[2].end, FIRE)
    assert fire.anchor_state == State.ORPHANED
    assert imported.result["orphaned"] == 1
    [event] = _reanchor_events(fire)
    assert event.changes["anchor_state"] == ["anchored", "orphaned"]
    assert event.changes["reanchor"][1]["new_article"] == imported.article.pk


def test_nothing_moves_without_an_audit_event(article, analyst, claims):
    body = "A new first paragraph.\n\n" + ARTICLE_TEXT.replace(
        FIRE, "gunmen opened fire at close range"
    ).replace(BLAME, "said nothing")
    imported = _new_version(article, analyst, body)
    for before, after in zip(claims, _reload(claims), strict=True):
        [event] = _reanchor_events(after)
        assert event.actor == analyst
        if after.article_id == imported.article.pk:
            assert event.changes["article_id"] == [article.pk, imported.article.pk]
            assert event.changes["start"] == [before.start, after.start]
        else:
            assert after.anchor_state == State.ORPHANED
            assert "article_id" not in event.changes
    states = sorted(c.anchor_state for c in _reload(claims))
    assert states == ["anchored", "orphaned", "reanchored"]


def test_it_places_a_repeated_quote_near_its_old_position(article, analyst, monitor, workspace):

    source_article = article_import(workspace=workspace, actor=analyst, title="Road", body=REPEATED)
    quote = "The ministry said the road was closed."
    second = REPEATED.rindex(quote)
    claim = claim_create(
        article=source_article,
        actor=analyst,
        source=monitor,
        start=second,
        end=second + len(quote),
        quote=quote,
    )
    body = "Update: a convoy left at dawn.\n\n" + REPEATED
    new = _new_version(source_article, analyst, body).article
    claim.refresh_from_db()
    assert claim.start == body.rindex(quote)
    assert claim.article == new


def _approved(claim, *, analyst, reviewer, agency):
    """The claim with evidence, proposed by the analyst and approved by the reviewer."""
    evidence_create(
        claim=claim, actor=analyst, stance="corroborates", title="Tally", publisher=agency
    )
    claim.refresh_from_db()
    claim = claim_transition(
        claim=claim,
        name="propose",
        actor=analyst,
        expected_version=claim.version,
        verdict="corroborated",
        rationale="The agency agrees.",
    )
    return claim_transition(
        claim=claim, name="approve", actor=reviewer, expected_version=claim.version
    )


def test_it_keeps_an_approval_when_the_same_words_move(article, analyst, reviewer, claims, agency):
    claim = _approved(claims[0], analyst=analyst, reviewer=reviewer, agency=agency)
    _new_version(article, analyst, "A new first paragraph.\n\n" + ARTICLE_TEXT)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    [event] = _reanchor_events(claim)
    assert event.changes["approval"][1].startswith("kept")


def test_it_voids_an_approval_when_the_words_change(article, analyst, reviewer, claims, agency):
    claim = _approved(claims[2], analyst=analyst, reviewer=reviewer, agency=agency)
    _new_version(article, analyst, ARTICLE_TEXT.replace(FIRE, "gunmen opened fire at close range"))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING_REVIEW


def test_it_refuses_a_second_successor(article, analyst, claims):
    _new_version(article, analyst, ARTICLE_TEXT + "\n\nMore.")
    with pytest.raises(ValidationError, match="already has a newer version"):
        _new_version(article, analyst, ARTICLE_TEXT + "\n\nOther.")
    assert Article.objects.filter(previous_version=article).count() == 1


def test_it_refuses_a_reviewer_importing_a_version(article, reviewer, claims):
    with pytest.raises(NotAllowed):
        _new_version(article, reviewer, ARTICLE_TEXT)
    assert not Article.objects.filter(previous_version=article).exists()


def test_it_reanchors_a_large_article_in_a_job(
    article, analyst, claims, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(versions, "SYNC_CLAIM_LIMIT", 1)
    with django_capture_on_commit_callbacks(execute=True):
        imported = _new_version(article, analyst, "Note.\n\n" + ARTICLE_TEXT)
    assert imported.result is None
    job = Job.objects.get(pk=imported.job.pk)
    assert job.kind == Job.Kind.REANCHOR
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result["moved"] == 3
    assert all(c.article_id == imported.article.pk for c in _reload(claims))


def test_a_rerun_of_the_job_changes_nothing(
    article, analyst, claims, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(versions, "SYNC_CLAIM_LIMIT", 0)
    body = ARTICLE_TEXT.replace(
        "Residents told a news agency that gunmen fired at close range.", ""
    )
    with django_capture_on_commit_callbacks(execute=True):
        imported = _new_version(article, analyst, body)
    events = AuditEvent.objects.count()
    job = Job.objects.get(pk=imported.job.pk)
    result = versions.reanchor_job(job)
    assert result["skipped"] == 0 and result["moved"] == 0 and result["orphaned"] == 0
    assert AuditEvent.objects.count() == events


# Re-placing orphans -----------------------------------------------------------


@pytest.fixture
def orphaned(article, analyst, claims):
    body = ARTICLE_TEXT.replace(FIRE, "men with guns shot from a few metres away")
    new = _new_version(article, analyst, body).article
    orphan = Claim.objects.get(pk=claims[2].pk)
    assert orphan.anchor_state == State.ORPHANED
    return orphan, new


def test_it_replaces_an_orphan_on_the_new_version(orphaned, analyst):
    orphan, new = orphaned
    moved = claim_replace(
        claim=orphan,
        article=new,
        actor=analyst,
        expected_version=orphan.version,
        quote="men with guns shot from a few metres away",
    )
    assert moved.article == new
    assert new.body[moved.start : moved.end] == "men with guns shot from a few metres away"
    assert moved.anchor_state == State.REANCHORED
    event = _reanchor_events(moved).last()
    assert event.changes["reanchor"][1]["outcome"] == "placed by hand"


def test_it_replaces_an_orphan_at_selected_offsets(orphaned, analyst):
    orphan, new = orphaned
    start = new.body.index("men with guns")
    moved = claim_replace(
        claim=orphan,
        article=new,
        actor=analyst,
        expected_version=orphan.version,
        start=start,
        end=start + 13,
        quote="men with guns",
    )
    assert (moved.start, moved.end) == (start, start + 13)


def test_it_refuses_a_quote_missing_from_the_new_version(orphaned, analyst):
    orphan, new = orphaned
    with pytest.raises(ValidationError, match="does not occur"):
        claim_replace(
            claim=orphan, article=new, actor=analyst, expected_version=orphan.version, quote=FIRE
        )


def test_it_replaces_only_orphans(orphaned, analyst, claims):
    _, new = orphaned
    anchored = Claim.objects.get(pk=claims[0].pk)
    with pytest.raises(ValidationError, match="Only an orphaned claim"):
        claim_replace(
            claim=anchored,
            article=new,
            actor=analyst,
            expected_version=anchored.version,
            quote=TOLL,
        )


def test_it_replaces_only_onto_a_newer_version(orphaned, analyst, workspace):

    orphan, _ = orphaned
    unrelated = article_import(workspace=workspace, actor=analyst, title="Other", body=ARTICLE_TEXT)
    with pytest.raises(ValidationError, match="newer version"):
        claim_replace(
            claim=orphan,
            article=unrelated,
            actor=analyst,
            expected_version=orphan.version,
            quote=FIRE,
        )


def test_it_refuses_a_stale_replace(orphaned, analyst):
    orphan, new = orphaned
    with pytest.raises(StaleVersion):
        claim_replace(
            claim=orphan,
            article=new,
            actor=analyst,
            expected_version=orphan.version - 1,
            quote="men with guns",
        )


# The pages --------------------------------------------------------------------


def test_the_article_page_loads_the_versions_box(article, client_for, analyst):
    html = client_for(analyst).get(reverse("article_detail", args=["desk-a", article.pk])).content
    assert reverse("article_versions", args=["desk-a", article.pk]).encode() in html


def test_it_imports_a_new_version_from_the_form(article, claims, client_for, analyst):
    url = reverse("article_new_version", args=["desk-a", article.pk])
    response = client_for(analyst).post(
        url, {"version-body": "Editor's note.\n\n" + ARTICLE_TEXT, "version-title": ""}
    )
    new = Article.objects.get(previous_version=article)
    assert response.status_code == 302
    assert response["Location"] == reverse("article_detail", args=["desk-a", new.pk])
    assert new.title == article.title
    assert Claim.objects.filter(article=new).count() == 3


def test_it_shows_form_errors_for_an_empty_version(article, client_for, analyst):
    url = reverse("article_new_version", args=["desk-a", article.pk])
    response = client_for(analyst).post(url, {"version-body": "  "})
    assert response.status_code == 422
    assert b"Paste the edited text" in response.content
    assert not Article.objects.filter(previous_version=article).exists()


@pytest.mark.parametrize("body", [ARTICLE_TEXT, ""])
def test_it_refuses_the_form_to_a_reviewer(article, client_for, reviewer, body):
    url = reverse("article_new_version", args=["desk-a", article.pk])
    response = client_for(reviewer).post(url, {"version-body": body})
    assert response.status_code == 403
    assert not Article.objects.filter(previous_version=article).exists()


def test_it_hides_versions_of_another_workspace(article, client_for, outsider, orphaned):
    orphan, new = orphaned
    client = client_for(outsider)
    assert client.get(reverse("article_versions", args=["desk-a", article.pk])).status_code == 404
    url = reverse("article_new_version", args=["desk-a", article.pk])
    assert client.post(url, {"version-body": ARTICLE_TEXT}).status_code == 404
    url = reverse("claim_replace", args=["desk-a", orphan.pk])
    assert client.post(url, {"article": new.pk, "quote": "men with guns"}).status_code == 404
    url = reverse("article_versions", args=["desk-b", article.pk])
    assert client.get(url).status_code == 404


def test_the_new_version_lists_its_orphans(orphaned, client_for, analyst):
    orphan, new = orphaned
    url = reverse("article_versions", args=["desk-a", new.pk])
    html = client_for(analyst).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'id="orphan-{orphan.pk}"' in html
    assert reverse("claim_replace", args=["desk-a", orphan.pk]) in html
    assert "Version 2 of 2" in html
    assert "New version…" in html


def test_the_old_version_points_to_the_latest(orphaned, article, client_for, analyst):
    _, new = orphaned
    url = reverse("article_versions", args=["desk-a", article.pk])
    html = client_for(analyst).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert reverse("article_detail", args=["desk-a", new.pk]) in html
    assert "New version…" not in html
    assert "orphan-" not in html


def test_it_replaces_an_orphan_from_the_page(orphaned, client_for, analyst):
    orphan, new = orphaned
    url = reverse("claim_replace", args=["desk-a", orphan.pk])
    response = client_for(analyst).post(
        url,
        {"article": new.pk, "version": orphan.version, "quote": "men with guns shot"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    orphan.refresh_from_db()
    assert orphan.article == new


def test_it_asks_for_the_version_to_replace_on(orphaned, client_for, analyst):
    orphan, _ = orphaned
    url = reverse("claim_replace", args=["desk-a", orphan.pk])
    response = client_for(analyst).post(url, {"version": orphan.version, "quote": "men"})
    assert response.status_code == 422
    orphan.refresh_from_db()
    assert orphan.anchor_state == State.ORPHANED


def test_it_says_why_a_replace_was_refused(orphaned, client_for, analyst):
    orphan, new = orphaned
    url = reverse("claim_replace", args=["desk-a", orphan.pk])
    response = client_for(analyst).post(
        url, {"article": new.pk, "version": orphan.version, "quote": FIRE}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert b"does not occur" in response.content


@pytest.mark.parametrize("target", ["new", ""])
def test_it_refuses_a_reviewer_replacing(orphaned, client_for, reviewer, target):
    orphan, new = orphaned
    url = reverse("claim_replace", args=["desk-a", orphan.pk])
    response = client_for(reviewer).post(
        url,
        {
            "article": new.pk if target else "",
            "version": orphan.version,
            "quote": "men with guns",
        },
    )
    assert response.status_code == 403
    orphan.refresh_from_db()
    assert orphan.anchor_state == State.ORPHANED


def test_the_versions_box_query_count_is_constant(article, analyst, claims, client_for):
    client = client_for(analyst)
    body = ARTICLE_TEXT
    current = article
    for n in range(1, 4):
        body = (
            body.replace(FIRE, f"gunmen fired {n} shots") if n == 1 else body + f"\n\nUpdate {n}."
        )
        current = _new_version(current, analyst, body).article
        url = reverse("article_versions", args=["desk-a", current.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
        if n == 1:
            expected = len(queries.captured_queries)
        assert len(queries.captured_queries) == expected
