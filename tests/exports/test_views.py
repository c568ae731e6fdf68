"""The exports page, starting exports in the browser, background exports and
downloads: permissions, isolation, errors, recording, query counts."""

import contextlib
import csv
import hashlib
import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from exports.files import export_path
from exports.models import Export
from exports.services import background as export_jobs
from exports.services.runner import export_prepare, export_stream
from jobs.models import Job
from jobs.services import job_retry
from tests.conftest import make_member
from tests.jobs_support import jobs_in_process
from workspaces.models import Membership, Workspace


@pytest.fixture
def run_jobs(settings, django_capture_on_commit_callbacks):
    """Jobs enqueued inside the block run in-process when it ends, as after a commit."""

    @contextlib.contextmanager
    def block():
        with jobs_in_process(settings), django_capture_on_commit_callbacks(execute=True):
            yield

    return block


def _post(client, workspace, **data):
    return client.post(reverse("export_create", args=[workspace.slug]), data)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_streams_a_csv_download_and_records_it(world, client_for, analyst):
    response = _post(client_for(analyst), world.workspace, format="csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.match(
        r'attachment; filename="desk-a-workspace-csv-\d{8}-\d{4}\.csv"',
        response["Content-Disposition"],
    )
    data = _body(response)
    export = Export.objects.get()
    assert (export.format, export.created_by, export.claim_count, export.include_real_names) == (
        "csv",
        analyst,
        3,
        False,
    )
    assert export.sha256 == hashlib.sha256(data).hexdigest()
    assert export.size == len(data)
    assert export.file == ""  # streamed, not stored
    event = AuditEvent.objects.get(action="export")
    assert (event.object_id, event.changes["sha256"], event.changes["completed"]) == (
        str(export.pk),
        export.sha256,
        True,
    )


def test_it_exports_an_article_scope(world, client_for, analyst, article, claim):
    other = _body(_post(client_for(analyst), world.workspace, format="csv", article=article.pk))
    data = _body(
        _post(client_for(analyst), world.workspace, format="csv", article=world.article.pk)
    )
    export = Export.objects.latest("id")
    assert export.scope == {"article": [world.article.pk]}
    assert export.scope_label == "article “Clashes on the coast, as told by Ali Sheha”"
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert {r["article_id"] for r in rows} == {str(world.article.pk)}
    assert len(rows) == 3
    assert len(list(csv.DictReader(io.StringIO(other.decode())))) == 1


def test_it_records_an_abandoned_download_as_incomplete(world, analyst):
    ctx = export_prepare(
        workspace=world.workspace,
        actor=analyst,
        format="json",
        params={},
        base_url="http://testserver",
    )
    stream = export_stream(ctx)
    first_block = next(stream)
    stream.close()  # what the server does when the client goes away
    event = AuditEvent.objects.get(action="export")
    assert event.changes["completed"] is False
    assert event.changes["sha256"] == hashlib.sha256(first_block).hexdigest()


def test_it_shows_the_html_report_in_the_browser_under_the_csp(world, client_for, analyst):
    response = _post(client_for(analyst), world.workspace, format="html")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline;")
    assert "style-src 'self'" in response["Content-Security-Policy"]
    html = _body(response).decode()
    assert "Audit report" in html and "style=" not in html


def test_it_runs_a_pdf_as_a_job_and_offers_the_stored_file(world, client_for, analyst, run_jobs):
    client = client_for(analyst)
    with run_jobs():
        response = _post(client, world.workspace, format="pdf")
    assert response.status_code == 302
    assert response["Location"] == reverse("export_list", args=[world.workspace.slug])
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    assert job.status == Job.Status.SUCCEEDED, job.error
    export = Export.objects.get(job=job)
    assert job.result["export_id"] == export.pk
    download = client.get(reverse("export_download", args=[world.workspace.slug, export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    data = download.getvalue()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == export.sha256 == download["X-Content-SHA256"]
    page = client.get(reverse("export_list", args=[world.workspace.slug])).content.decode()
    assert reverse("export_download", args=[world.workspace.slug, export.pk]) in page


@override_settings(EXPORT_JOB_THRESHOLD=2)
def test_it_runs_a_large_export_as_a_job(world, client_for, analyst, run_jobs, settings):
    with run_jobs():
        response = _post(client_for(analyst), world.workspace, format="annotation")
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.job.status == Job.Status.SUCCEEDED
    path = export_path(export.file)
    assert path.read_bytes().startswith(b'{"@context"')
    assert path.is_relative_to(settings.EXPORT_FILES_DIR)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == export.sha256


@override_settings(EXPORT_JOB_THRESHOLD=2)
def test_it_streams_csv_and_json_whatever_their_size(world, client_for, analyst):
    for format in ("csv", "json"):
        response = _post(client_for(analyst), world.workspace, format=format)
        assert response.streaming
    assert not Job.objects.filter(kind=Job.Kind.EXPORT).exists()


def test_it_shows_an_export_jobs_progress_and_stops_polling_when_done(
    world, client_for, analyst, run_jobs
):
    client = client_for(analyst)
    with run_jobs():
        _post(client, world.workspace, format="pdf")
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    response = client.get(
        reverse("export_job", args=[world.workspace.slug, job.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 286
    assert b"Download" in response.content


def test_it_fails_the_job_when_the_exporter_lost_access(
    world, client_for, admin_user, settings, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    with jobs_in_process(settings), django_capture_on_commit_callbacks(execute=False) as callbacks:
        _post(client, world.workspace, format="pdf", include_real_names="on")
    Membership.objects.filter(user=admin_user).update(role="analyst")
    for callback in callbacks:
        callback()
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    assert job.status == Job.Status.FAILED
    assert "real names" in job.error
    assert not Export.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "docx"}, "Select a valid choice"),
        ({"format": "csv", "status": "lost"}, "Unknown status “lost”"),
        ({"format": "csv", "article": "999999"}, "No article with id 999999"),
        ({"format": "claimreview", "status": "new"}, "no approved claims"),
        ({"format": "csv", "kind": "event"}, "Nothing to export"),
    ],
)
def test_it_answers_400_with_a_message_for_bad_input(world, client_for, analyst, data, message):
    response = _post(client_for(analyst), world.workspace, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Export.objects.exists()


def test_it_refuses_real_names_to_a_non_admin_with_403(world, client_for, reviewer):
    response = _post(client_for(reviewer), world.workspace, format="csv", include_real_names="on")
    assert response.status_code == 403
    assert "real names" in response.content.decode()
    assert not Export.objects.exists()


def test_it_lets_an_admin_include_real_names(world, client_for, admin_user):
    data = _body(
        _post(client_for(admin_user), world.workspace, format="csv", include_real_names="on")
    )
    assert b"Ali Sheha" in data
    assert Export.objects.get().include_real_names


def test_it_lets_only_admins_download_a_stored_export_with_real_names(
    world, client_for, admin_user, analyst, reviewer, run_jobs
):
    with run_jobs():
        _post(client_for(admin_user), world.workspace, format="pdf", include_real_names="on")
    export = Export.objects.get()
    url = reverse("export_download", args=[world.workspace.slug, export.pk])
    for user in (analyst, reviewer):
        response = client_for(user).get(url)
        assert response.status_code == 403
        assert b"%PDF" not in response.content
    assert client_for(admin_user).get(url).status_code == 200
    page = client_for(analyst).get(reverse("export_list", args=[world.workspace.slug]))
    assert url.encode() not in page.content


def test_the_exports_page_preselects_a_lists_filters(world, client_for, analyst):
    url = reverse("export_list", args=[world.workspace.slug])
    page = client_for(analyst).get(url, {"status": "approved", "kind": "figure"}).content.decode()
    assert '<option value="approved" selected>' in page
    assert '<option value="figure" selected>' in page


def test_it_hides_the_real_names_choice_from_non_admins(world, client_for, analyst, admin_user):
    url = reverse("export_list", args=[world.workspace.slug])
    assert b"include_real_names" not in client_for(analyst).get(url).content
    assert b"include_real_names" in client_for(admin_user).get(url).content


def test_it_keeps_exports_and_downloads_to_their_workspace(
    world, client_for, analyst, other_workspace, outsider, run_jobs
):
    with run_jobs():
        _post(client_for(analyst), world.workspace, format="pdf")
    export = Export.objects.get()
    client = client_for(outsider)
    own = reverse("export_list", args=[other_workspace.slug])
    assert export.scope_label.encode() not in client.get(own).content
    for url in (
        reverse("export_list", args=[world.workspace.slug]),
        reverse("export_download", args=[world.workspace.slug, export.pk]),
        reverse("export_download", args=[other_workspace.slug, export.pk]),
        reverse("export_job", args=[other_workspace.slug, export.job_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert _post(client, world.workspace, format="csv").status_code == 404
    assert Export.objects.count() == 1


def test_it_answers_404_for_a_streamed_export_without_a_file(world, client_for, analyst):
    _body(_post(client_for(analyst), world.workspace, format="csv"))
    export = Export.objects.get()
    url = reverse("export_download", args=[world.workspace.slug, export.pk])
    assert client_for(analyst).get(url).status_code == 404


def test_the_exports_page_runs_a_constant_number_of_queries(
    world, client_for, analyst, django_assert_max_num_queries
):
    client = client_for(analyst)
    url = reverse("export_list", args=[world.workspace.slug])
    _body(_post(client, world.workspace, format="csv"))
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    queries_with_one_export = len(one)
    for _ in range(4):
        _body(_post(client, world.workspace, format="json"))
    with django_assert_max_num_queries(queries_with_one_export):
        response = client.get(url)
    assert response.content.decode().count("JSON bundle</td>") == 4


def test_the_exports_page_lists_every_export_with_who_what_and_hash(
    world, client_for, analyst, admin_user
):
    _body(_post(client_for(admin_user), world.workspace, format="csv", include_real_names="on"))
    export = Export.objects.get()
    page = (
        client_for(analyst)
        .get(reverse("export_list", args=[world.workspace.slug]))
        .content.decode()
    )
    assert export.sha256 in page
    assert "adam" in page and "CSV" in page and "included" in page


def test_the_export_buttons_offer_every_format(world, client_for, analyst, article):
    client = client_for(analyst)
    for url in (
        reverse("workspace_home", args=[world.workspace.slug]),
        reverse("article_detail", args=[world.workspace.slug, world.article.pk]),
    ):
        page = client.get(url).content.decode()
        form = page[page.index('class="export-buttons') :]
        form = form[: form.index("</form>")]
        assert re.findall(r'<option value="([a-z]+)">', form) == list(Export.Format.values)
    article_page = client.get(
        reverse("article_detail", args=[world.workspace.slug, world.article.pk])
    ).content.decode()
    assert f'<input type="hidden" name="article" value="{world.article.pk}">' in article_page


def test_the_nav_links_to_the_exports_page(world, client_for, analyst):
    page = (
        client_for(analyst)
        .get(reverse("workspace_home", args=[world.workspace.slug]))
        .content.decode()
    )
    assert f'href="{reverse("export_list", args=[world.workspace.slug])}"' in page


def test_a_reviewer_may_export(world, client_for, reviewer):
    response = _post(client_for(reviewer), world.workspace, format="csv")
    assert response.status_code == 200
    _body(response)
    assert Export.objects.get().created_by == reviewer


def test_an_outsider_of_every_workspace_gets_404(world, client, db):
    lonely = make_member(Workspace.objects.create(slug="lonely", name="Lonely"), "lone", "admin")
    client.force_login(lonely)
    assert _post(client, world.workspace, format="csv").status_code == 404


def test_it_fails_a_job_that_outlives_the_time_limit_with_advice(
    world, client_for, analyst, run_jobs, monkeypatch
):
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(ctx, *, job):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(export_jobs, "export_to_storage", too_slow)
    with run_jobs():
        _post(client_for(analyst), world.workspace, format="pdf")
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    assert job.status == Job.Status.FAILED
    assert "took longer than a job may run" in job.error
    assert "EXPORT_SOFT_TIME_LIMIT" in job.error


def test_the_export_buttons_of_a_claims_list_carry_its_filters(world, rf, analyst):
    from django.template.loader import render_to_string

    request = rf.get("/", {"status": ["approved", "pending_review"], "kind": "figure", "page": "2"})
    request.user = analyst
    html = render_to_string(
        "exports/_export_buttons.html", {"workspace": world.workspace, "scope": "list"}, request
    )
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([\w-]+)">', html)
    assert [h for h in hidden if h[0] != "csrfmiddlewaretoken"] == [
        ("status", "approved"),
        ("status", "pending_review"),
        ("kind", "figure"),
    ]


@override_settings(EXPORT_JOB_THRESHOLD=2)
def test_deleting_an_export_removes_its_file(
    world, client_for, analyst, run_jobs, django_capture_on_commit_callbacks
):
    with run_jobs():
        _post(client_for(analyst), world.workspace, format="annotation")
    export = Export.objects.get()
    path = export_path(export.file)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        export.delete()
    assert not path.exists()


def test_stored_exports_download_as_streamed_files(world, client_for, analyst, run_jobs):
    with run_jobs():
        _post(client_for(analyst), world.workspace, format="pdf")
    export = Export.objects.get()
    response = client_for(analyst).get(
        reverse("export_download", args=[world.workspace.slug, export.pk])
    )
    assert response.status_code == 200 and response.streaming
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-") and len(data) == export.size
    assert response["X-Content-SHA256"] == hashlib.sha256(data).hexdigest() == export.sha256


def test_f5_a_member_cannot_retry_an_admins_real_name_export(
    world, client_for, admin_user, analyst, run_jobs
):
    """F5: any member could Retry an admin's failed real-name export; it reran
    as the admin, unaudited. Now only who started it or an admin may, and it
    runs as whoever retries it."""
    job = Job.objects.create(
        workspace=world.workspace,
        kind=Job.Kind.EXPORT,
        status=Job.Status.FAILED,
        created_by=admin_user,
        params={
            "format": "csv",
            "scope": {},
            "include_real_names": True,
            "base_url": "http://testserver",
            "actor": admin_user.pk,
        },
    )
    retry = reverse("job_retry", args=[world.workspace.slug, job.pk])
    with run_jobs():
        response = client_for(analyst).post(retry, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not Export.objects.exists()
    with run_jobs():
        response = client_for(admin_user).post(retry, HTTP_HX_REQUEST="true")
    assert response.status_code < 400
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert Export.objects.get().include_real_names is True
    retried = AuditEvent.objects.filter(object_type="job", object_id=str(job.pk)).get()
    assert retried.actor == admin_user and retried.changes["retried_by"] == [None, "adam"]


def test_f5_a_retried_export_runs_with_the_retriers_rights(world, admin_user, reviewer):
    Membership.objects.filter(workspace=world.workspace, user=reviewer).update(role="admin")
    second_admin = reviewer
    job = Job.objects.create(
        workspace=world.workspace,
        kind=Job.Kind.EXPORT,
        status=Job.Status.FAILED,
        created_by=admin_user,
        params={"format": "csv", "scope": {}, "include_real_names": True, "actor": admin_user.pk},
    )
    job_retry(job=job, actor=second_admin)
    job.refresh_from_db()
    assert job.params["actor"] == second_admin.pk
