"""manage.py export_report: the browser's exports from the command line."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from exports.models import Export


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.WORKBENCH_PUBLIC_BASE_URL = "https://claims.example.org"


def _export(*args) -> str:
    out = io.StringIO()
    call_command("export_report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("format", ["pdf", "html", "csv", "json", "claimreview", "annotation"])
def test_it_writes_every_format_and_records_it(world, admin_user, tmp_path, format):
    path = tmp_path / f"out.{format}"
    message = _export("--workspace", "desk-a", "--format", format, "--output", str(path))
    export = Export.objects.get()
    assert path.stat().st_size == export.size > 0
    assert export.sha256 in message
    assert (export.format, export.created_by) == (format, admin_user)  # the first admin
    assert AuditEvent.objects.filter(action="export", object_id=str(export.pk)).exists()


def test_it_exports_one_article_as_a_given_user(world, analyst, tmp_path):
    path = tmp_path / "article.csv"
    _export(
        "--article",
        str(world.article.pk),
        "--format",
        "csv",
        "--output",
        str(path),
        "--as-user",
        "ana",
    )
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 3
    assert Export.objects.get().created_by == analyst


def test_it_filters_like_a_claims_list(world, admin_user, tmp_path):
    path = tmp_path / "approved.json"
    _export(
        "--workspace", "desk-a", "--format", "json", "--status", "approved", "--output", str(path)
    )
    assert [c["id"] for c in json.loads(path.read_text())["claims"]] == [world.figure_claim.pk]


def test_it_includes_real_names_only_for_an_admin(world, admin_user, analyst, tmp_path):
    path = tmp_path / "names.csv"
    with pytest.raises(CommandError, match="real names"):
        _export(
            "--workspace",
            "desk-a",
            "--format",
            "csv",
            "--output",
            str(path),
            "--as-user",
            "ana",
            "--include-real-names",
        )
    assert not path.exists()
    _export(
        "--workspace", "desk-a", "--format", "csv", "--output", str(path), "--include-real-names"
    )
    assert "Ali Sheha" in path.read_text(encoding="utf-8")
    assert Export.objects.get().include_real_names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workspace", "desk-a", "--format", "docx"], "Unknown export format “docx”"),
        (["--workspace", "nowhere", "--format", "csv"], "No workspace with slug “nowhere”"),
        (["--article", "999999", "--format", "csv"], "No article with id 999999"),
        (["--workspace", "desk-a", "--format", "csv", "--kind", "event"], "Nothing to export"),
        (["--workspace", "desk-a", "--format", "csv", "--as-user", "nobody"], "No user “nobody”"),
        (["--workspace", "desk-a", "--format", "csv", "--as-user", "otto"], "not a member"),
    ],
)
def test_it_fails_clearly_on_bad_input(world, admin_user, outsider, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        _export(*args, "--output", str(tmp_path / "x"))
    assert not Export.objects.exists()


def test_it_needs_an_exporter_when_the_workspace_has_no_admin(world, tmp_path):
    with pytest.raises(CommandError, match="--as-user"):
        _export("--workspace", "desk-a", "--format", "csv", "--output", str(tmp_path / "x.csv"))


def test_it_writes_ids_with_the_public_address(world, admin_user, tmp_path):
    path = tmp_path / "anno.jsonld"
    _export("--workspace", "desk-a", "--format", "annotation", "--output", str(path))
    collection = json.loads(path.read_text())
    assert collection["id"].startswith("https://claims.example.org/w/desk-a/")
    assert all(
        i["id"].startswith("https://claims.example.org/") for i in collection["first"]["items"]
    )


def test_it_needs_a_public_address(world, admin_user, tmp_path, settings):
    settings.WORKBENCH_PUBLIC_BASE_URL = ""
    with pytest.raises(CommandError, match="WORKBENCH_PUBLIC_BASE_URL"):
        _export("--workspace", "desk-a", "--format", "csv", "--output", str(tmp_path / "x.csv"))
    path = tmp_path / "given.csv"
    _export(
        "--workspace",
        "desk-a",
        "--format",
        "csv",
        "--output",
        str(path),
        "--base-url",
        "https://other.example.org/",
    )
    assert "https://other.example.org/w/desk-a/claims/" in path.read_text(encoding="utf-8-sig")
