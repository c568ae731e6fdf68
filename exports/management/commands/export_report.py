"""Export an audit report or data file from the command line: the browser's
code path, written straight to a file whatever its size, and recorded."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from claims.models import Article
from exports.exceptions import ExportFailed
from exports.models import Export
from exports.scope import FILTERS
from exports.services.runner import export_prepare, export_write
from workspaces.management.actors import command_actor
from workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Export an article or a workspace as a PDF or HTML audit report, CSV, JSON bundle, "
        "ClaimReview or Web Annotation file."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--article", type=int, help="Export this article (id).")
        where.add_argument("--workspace", help="Export this workspace (slug).")
        parser.add_argument(
            "--format", required=True, help=f"One of: {', '.join(Export.Format.values)}."
        )
        parser.add_argument("--output", required=True, help="File to write.")
        parser.add_argument(
            "--as-user",
            default="",
            help="Member recorded as exporter (default: the workspace's first admin).",
        )
        parser.add_argument(
            "--include-real-names",
            action="store_true",
            help="Show protected sources by name (workspace admins only; recorded).",
        )
        for name in ("status", "verdict", "kind", "source"):
            parser.add_argument(
                f"--{name}", action="append", default=[], help=f"Only claims with this {name}."
            )
        parser.add_argument("--base-url", default="", help="Site address for links in the export.")

    def handle(self, *args, **options):
        workspace, params = self._scope(options)
        actor = self._actor(workspace, options["as_user"])
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"No such directory: {output.parent}")
        try:
            ctx = export_prepare(
                workspace=workspace,
                actor=actor,
                format=options["format"],
                params=params,
                include_real_names=options["include_real_names"],
                base_url=options["base_url"] or None,
            )
            partial = output.with_name(output.name + ".part")
            with partial.open("wb") as out:
                export = export_write(ctx, out)
            partial.replace(output)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except ExportFailed as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except Http404:
            raise CommandError(
                f"“{actor.username}” is not a member of “{workspace.slug}”."
            ) from None
        self.stdout.write(
            f"Wrote {output} ({export.size} bytes, {export.claim_count} claims, "
            f"sha256 {export.sha256}); recorded as export #{export.pk}."
        )

    def _scope(self, options):
        params = {name: options.get(name) or [] for name in FILTERS if name != "article"}
        if options["article"] is not None:
            article = (
                Article.objects.select_related("workspace").filter(pk=options["article"]).first()
            )
            if article is None:
                raise CommandError(f"No article with id {options['article']}.")
            params["article"] = [article.pk]
            return article.workspace, params
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with slug “{options['workspace']}”.")
        return workspace, params

    def _actor(self, workspace, username):
        return command_actor(
            workspace,
            username,
            default_roles=["admin"],
            missing=f"Workspace “{workspace.slug}” has no admin; say who exports with --as-user.",
        )
