"""Writes on articles: import (paste, upload, command line) and edits."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import save_if_changed, save_new
from claims.models import Article, Source
from jobs.models import Job
from jobs.services import job_enqueue
from texttools.bodies import TextRejected, check_body, decode_upload
from workspaces.access import ANNOTATORS, require_role
from workspaces.models import Workspace

ARTICLE_FIELDS = ("title", "outlet_id", "url", "published_on", "language", "body_sha256")


def body_from_upload(data: bytes, filename: str) -> str:
    try:
        return decode_upload(data, filename)
    except TextRejected as exc:
        raise ValidationError({"upload": str(exc)}) from None


def _snapshot(article: Article) -> dict:
    return {name: getattr(article, name) for name in ARTICLE_FIELDS}


def _check_outlet(workspace: Workspace, outlet: Source | None) -> None:
    if outlet is not None and outlet.workspace_id != workspace.pk:
        raise ValidationError({"outlet": "That outlet belongs to another workspace."})


@transaction.atomic
def article_import(
    *,
    workspace: Workspace,
    actor,
    title: str,
    body: str,
    outlet: Source | None = None,
    url: str = "",
    published_on: datetime.date | None = None,
    language: str = "en",
    previous_version: Article | None = None,
    suggest: bool = True,
) -> Article:
    """Create an article from text. The one path for the browser, the command
    line and fetch jobs, so every article is checked the same way. Unless told
    not to (a bundle import brings its claims along), a job then proposes
    candidate claims for an analyst to accept or dismiss."""
    require_role(workspace=workspace, user=actor, roles=ANNOTATORS, action="import articles")
    try:
        body = check_body(body)
    except TextRejected as exc:
        raise ValidationError({"body": str(exc)}) from None
    _check_outlet(workspace, outlet)
    article = Article(
        workspace=workspace,
        title=" ".join(title.split()),
        outlet=outlet,
        url=url.strip(),
        published_on=published_on,
        body=body,
        language=language or "en",
        body_sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        previous_version=previous_version,
        imported_by=actor,
    )
    save_new(article, workspace=workspace, actor=actor, after=_snapshot(article))
    if suggest:
        # The suggestions feature reads the article in the background.
        job_enqueue(
            workspace=workspace,
            kind=Job.Kind.SUGGEST_CLAIMS,
            actor=actor,
            target=article,
            message="Waiting for a worker to read the article…",
        )
    return article


@transaction.atomic
def article_update(*, article: Article, actor, body: str | None = None, **fields) -> Article:
    """Edit an article's details. Its body may change only while no claim
    points into it; afterwards an edited text must be imported as a new version."""
    require_role(workspace=article.workspace, user=actor, roles=ANNOTATORS, action="edit articles")
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = _snapshot(article)
    if "outlet" in fields:
        _check_outlet(article.workspace, fields["outlet"])
    for name, value in fields.items():
        if name not in {"title", "outlet", "url", "published_on", "language"}:
            raise TypeError(f"Unknown article field: {name}")
        setattr(article, name, value)
    if body is not None:
        try:
            body = check_body(body)
        except TextRejected as exc:
            raise ValidationError({"body": str(exc)}) from None
        if body != article.body:
            if article.claims.exists():
                raise ValidationError(
                    {
                        "body": "This article already carries claims, so its text cannot change; "
                        "import the edited text as a new version."
                    }
                )
            article.body = body
            article.body_sha256 = hashlib.sha256(body.encode("utf-8")).hexdigest()
    article.full_clean()
    save_if_changed(
        article, workspace=article.workspace, actor=actor, before=before, after=_snapshot(article)
    )
    return article
