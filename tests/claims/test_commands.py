"""Management commands: import_article, load_demo."""

import io

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from claims.demo import DEMO_CLAIMS
from claims.models import Article, Claim, Source
from workspaces.models import Membership


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_imports_an_article_and_prints_its_id(tmp_path, workspace, analyst):
    path = tmp_path / "story.txt"
    path.write_text("The monitor said 12 people died.\n", encoding="utf-8")
    out = _run(
        "import_article",
        str(path),
        "--workspace",
        workspace.slug,
        "--title",
        "Story",
        "--url",
        "https://example.org/s",
        "--outlet",
        "Daily Wire Service",
        "--published",
        "2025-03-08",
    )
    article = Article.objects.get()
    assert out.strip() == str(article.pk)
    assert article.body == "The monitor said 12 people died."
    assert article.outlet.name == "Daily Wire Service"
    assert str(article.published_on) == "2025-03-08"
    assert article.imported_by == analyst


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"   \n", "empty"),
        (b"\xff\xfe\x00\x00", "binary"),
        ("caf\xe9".encode("latin-1"), "not UTF-8"),
    ],
)
def test_it_fails_on_bad_files_and_saves_nothing(tmp_path, workspace, analyst, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run(
            "import_article",
            str(path),
            "--workspace",
            workspace.slug,
            "--title",
            "Bad",
            "--outlet",
            "New Outlet",
        )
    assert not Article.objects.exists()
    assert not Source.objects.exists()  # the outlet was not half-created


def test_it_fails_for_an_unknown_workspace(tmp_path, db):
    path = tmp_path / "a.txt"
    path.write_text("x")
    with pytest.raises(CommandError, match="No workspace"):
        _run("import_article", str(path), "--workspace", "nope", "--title", "T")


def test_it_fails_for_a_bad_date(tmp_path, workspace, analyst):
    path = tmp_path / "a.txt"
    path.write_text("x")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run(
            "import_article",
            str(path),
            "--workspace",
            workspace.slug,
            "--title",
            "T",
            "--published",
            "9 March",
        )


def test_it_fails_for_a_missing_file(workspace, analyst):
    with pytest.raises(CommandError, match="No such file"):
        _run(
            "import_article", "/nonexistent/file.txt", "--workspace", workspace.slug, "--title", "T"
        )


def test_it_loads_the_demo_idempotently(db):
    first = _run("load_demo")
    counts = (
        Article.objects.count(),
        Claim.objects.count(),
        Source.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    _run("load_demo")
    assert "analyst-demo-2025" in first and "reviewer-demo-2025" in first
    assert counts == (
        Article.objects.count(),
        Claim.objects.count(),
        Source.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    assert Claim.objects.count() == len(DEMO_CLAIMS)


def test_it_annotates_the_demo_figures(db):
    _run("load_demo")
    values = sorted(
        int(v) for v in Claim.objects.values_list("figures__value", flat=True) if v is not None
    )
    assert values == [125, 148, 745, 1000]
    assert Source.objects.get(name="Ali Sheha").protected
