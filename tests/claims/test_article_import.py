"""Importing articles: paste, upload, and every bad input the issue names."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from claims.models import Article
from claims.services.articles import article_import, article_update
from claims.services.sources import source_create
from texttools.bodies import MAX_BODY_BYTES
from workspaces.exceptions import NotAllowed


@pytest.fixture
def url(workspace):
    return reverse("article_import", args=[workspace.slug])


def test_it_imports_pasted_text(client_for, analyst, workspace, agency, url):
    response = client_for(analyst).post(
        url,
        {
            "title": "Report",
            "body": "  First line.\r\nSecond line.  ",
            "outlet": agency.pk,
            "language": "en",
            "url": "https://example.org/a",
            "published_on": "2025-03-09",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("article_detail", args=[workspace.slug, article.pk])
    assert article.body == "First line.\nSecond line."
    assert article.body_sha256 == hashlib.sha256(article.body.encode()).hexdigest()
    assert article.imported_by == analyst
    assert article.outlet == agency
    assert str(article.published_on) == "2025-03-09"


def test_it_imports_an_uploaded_text_file(client_for, analyst, url):
    upload = SimpleUploadedFile("report.md", "# Heading\n\nBody with ünïcode.".encode())
    response = client_for(analyst).post(
        url, {"title": "Upload", "upload": upload, "language": "en"}
    )
    assert response.status_code == 302
    assert Article.objects.get().body == "# Heading\n\nBody with ünïcode."


def test_it_reduces_an_uploaded_html_file_to_text(client_for, analyst, url):
    html = (
        "<html><head><title>T</title><script>alert(1)</script><style>p{}</style></head>"
        "<body><p>The monitor said 745 civilians were killed.</p><p>Second paragraph.</p></body></html>"
    )
    upload = SimpleUploadedFile("page.html", html.encode())
    response = client_for(analyst).post(url, {"title": "HTML", "upload": upload, "language": "en"})
    assert response.status_code == 302
    body = Article.objects.get().body
    assert "745 civilians" in body
    assert "alert(1)" not in body and "<p>" not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "The article text is empty"),
        ({"body": "   \n\t  "}, "The article text is empty"),
        ({"body": "x" * (MAX_BODY_BYTES + 1)}, "the limit is 2 MB"),
    ],
)
def test_it_refuses_bad_pasted_text_with_a_message(client_for, analyst, url, data, message):
    response = client_for(analyst).post(url, {"title": "Bad", "language": "en", **data})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file"),
        ("latin1.txt", "café".encode("latin-1"), "is not UTF-8 text"),
        ("archive.zip", b"PK\x03\x04", "not a supported file"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_it_refuses_bad_uploads_with_a_message(client_for, analyst, url, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = client_for(analyst).post(url, {"title": "Bad", "upload": upload, "language": "en"})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_it_refuses_an_outlet_from_another_workspace(analyst, workspace, other_workspace, outsider):

    foreign = source_create(workspace=other_workspace, actor=outsider, name="Foreign outlet")
    with pytest.raises(ValidationError, match="another workspace"):
        article_import(workspace=workspace, actor=analyst, title="T", body="Text.", outlet=foreign)
    assert not Article.objects.exists()


def test_it_does_not_offer_another_workspaces_outlet_in_the_form(
    client_for, analyst, url, other_workspace, outsider
):

    foreign = source_create(workspace=other_workspace, actor=outsider, name="Foreign outlet")
    response = client_for(analyst).post(
        url, {"title": "T", "body": "Text.", "outlet": foreign.pk, "language": "en"}
    )
    assert response.status_code == 422
    assert not Article.objects.exists()


def test_it_refuses_a_reviewer(workspace, reviewer):
    with pytest.raises(NotAllowed):
        article_import(workspace=workspace, actor=reviewer, title="T", body="Text.")


def test_it_records_the_import_in_the_audit_trail(article):
    event = AuditEvent.objects.get(object_type="article", object_id=str(article.pk))
    assert event.action == "create"
    assert event.changes["title"] == [None, "Clashes on the coast"]


def test_it_allows_editing_the_body_while_no_claim_points_into_it(article, analyst):
    updated = article_update(article=article, actor=analyst, body="A new text.")
    assert updated.body == "A new text."
    assert updated.body_sha256 == hashlib.sha256(b"A new text.").hexdigest()


def test_it_keeps_the_body_immutable_once_it_carries_claims(article, analyst, claim):
    with pytest.raises(ValidationError, match="new version"):
        article_update(article=article, actor=analyst, body="Edited text.")
    article.refresh_from_db()
    assert "1,000 people" in article.body


def test_it_shows_the_import_form(client_for, analyst, url):
    response = client_for(analyst).get(url)
    assert response.status_code == 200
    assert 'name="upload"' in response.content.decode()
