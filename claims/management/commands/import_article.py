"""Import an article from a text, Markdown or HTML file: the browser's code path."""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.models import Source
from claims.services.articles import article_import, body_from_upload
from claims.services.sources import source_create
from workspaces.management.actors import command_actor
from workspaces.models import Workspace


class Command(BaseCommand):
    help = "Import an article into a workspace and print its id."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .txt, .md or .html file.")
        parser.add_argument("--workspace", required=True, help="Workspace slug.")
        parser.add_argument("--title", required=True)
        parser.add_argument("--url", default="")
        parser.add_argument("--outlet", default="", help="Outlet source name; created if new.")
        parser.add_argument("--published", default="", help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--language", default="en")
        parser.add_argument(
            "--as-user",
            default="",
            help="Username recorded as importer (default: the workspace's first admin).",
        )

    def handle(
        self, *args, path, workspace, title, url, outlet, published, language, as_user, **options
    ):
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"No workspace with slug “{workspace}”.")
        actor = self._actor(ws, as_user)
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        published_on = None
        if published:
            try:
                published_on = datetime.date.fromisoformat(published)
            except ValueError:
                raise CommandError(f"--published must be YYYY-MM-DD, not “{published}”.") from None
        try:
            with transaction.atomic():
                body = body_from_upload(file.read_bytes(), file.name)
                outlet_source = None
                if outlet:
                    outlet_source = Source.objects.filter(
                        workspace=ws, name=outlet
                    ).first() or source_create(
                        workspace=ws, actor=actor, name=outlet, kind=Source.Kind.NEWS_OUTLET
                    )
                article = article_import(
                    workspace=ws,
                    actor=actor,
                    title=title,
                    body=body,
                    outlet=outlet_source,
                    url=url,
                    published_on=published_on,
                    language=language,
                )
        except ValidationError as exc:
            messages = (
                [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise CommandError("; ".join(messages)) from None
        self.stdout.write(str(article.pk))

    def _actor(self, workspace, username):
        return command_actor(
            workspace,
            username,
            default_roles=["analyst", "admin"],
            missing=f"Workspace “{workspace.slug}” has no analyst or admin to record as importer.",
        )
