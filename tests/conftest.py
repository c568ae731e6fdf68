"""A small world for tests: two workspaces, users in each role, sources, an article."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.sources import source_create
from tests.jobs_support import jobs_in_process
from vocabulary.services import base_outcomes_ensure
from workspaces.models import Membership, Workspace

PASSWORD = "correct-horse-battery"

ARTICLE_TEXT = (
    "A monitoring group said more than 1,000 people were killed, among them 745 civilians.\n\n"
    'The ministry blamed the violence on "individual actions" and denied any policy of reprisals.\n\n'
    "Residents told a news agency that gunmen fired at close range."
)


def make_user(username: str):
    return get_user_model().objects.create_user(username=username, password=PASSWORD)


def make_member(workspace: Workspace, username: str, role: str):
    user = make_user(username)
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


@pytest.fixture
def workspace(db):
    return Workspace.objects.create(slug="desk-a", name="Desk A")


@pytest.fixture
def other_workspace(db):
    return Workspace.objects.create(slug="desk-b", name="Desk B")


@pytest.fixture
def analyst(workspace):
    return make_member(workspace, "ana", Membership.Role.ANALYST)


@pytest.fixture
def reviewer(workspace):
    return make_member(workspace, "rita", Membership.Role.REVIEWER)


@pytest.fixture
def admin_user(workspace):
    return make_member(workspace, "adam", Membership.Role.ADMIN)


@pytest.fixture
def outsider(other_workspace):
    """An analyst of the other workspace: must never see desk A."""
    return make_member(other_workspace, "otto", Membership.Role.ANALYST)


@pytest.fixture
def monitor(workspace, analyst):
    return source_create(
        workspace=workspace, actor=analyst, name="Monitoring Group", kind="monitor", reliability="C"
    )


@pytest.fixture
def ministry(workspace, analyst):
    return source_create(
        workspace=workspace, actor=analyst, name="Interior Ministry", kind="government"
    )


@pytest.fixture
def agency(workspace, analyst):
    return source_create(workspace=workspace, actor=analyst, name="News Agency", kind="news_outlet")


@pytest.fixture
def article(workspace, analyst, agency):
    return article_import(
        workspace=workspace,
        actor=analyst,
        title="Clashes on the coast",
        body=ARTICLE_TEXT,
        outlet=agency,
    )


@pytest.fixture
def claim(article, analyst, monitor):
    quote = "more than 1,000 people were killed"
    start = ARTICLE_TEXT.index(quote)
    return claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        start=start,
        end=start + len(quote),
        quote=quote,
        kind="figure",
        statement="More than 1,000 killed",
        figures=[{"value": "1000", "qualifier": "more_than", "counted": "people killed"}],
    )


@pytest.fixture
def client_for(client):
    """Log the test client in as a given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def export_files_in_tmp(settings, tmp_path):
    """Stored exports go to this test's own folder, never to var/."""
    settings.EXPORT_FILES_DIR = tmp_path / "exports"


@pytest.fixture(autouse=True)
def audit_witness(settings, tmp_path):
    """Each test signs audit checkpoints with its own key into its own log."""
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_SIGNING_KEY_FILE = str(tmp_path / "audit-signing.key")
    settings.AUDIT_SIGNING_KEY_GENERATE = True
    settings.AUDIT_VERIFY_KEYS = []
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; tests create hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def jobs_run_in_process(request, settings):
    """Jobs sent by the code under test run in-process (when their transaction
    commits), even where REDIS_URL is set: only tests marked `worker` talk to
    real Celery workers."""
    if request.node.get_closest_marker("worker"):
        yield
        return

    with jobs_in_process(settings):
        yield


@pytest.fixture(autouse=True)
def base_outcomes(request):
    """The base outcomes (killed, injured, ...) exist: a data migration creates
    them, but a transactional test (the browser's) flushes every table after
    it, and the tests after it would find none."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        yield
        return
    transactional = (marker is not None and marker.kwargs.get("transaction")) or names & {
        "transactional_db",
        "live_server",
    }
    request.getfixturevalue("transactional_db" if transactional else "db")
    base_outcomes_ensure()
    yield
