"""Create the demo workspace, users and annotated article. Safe to run again."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from claims.demo import (
    DEMO_ARTICLE_BODY,
    DEMO_ARTICLE_TITLE,
    DEMO_CLAIMS,
    DEMO_SOURCES,
    DEMO_USERS,
    DEMO_WORKSPACE,
)
from claims.models import Article, Source
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.sources import source_create
from vocabulary.services import gazetteer_seed
from workspaces.models import Membership, Workspace


class Command(BaseCommand):
    help = "Load the demo workspace, users and annotated article (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        workspace, _ = Workspace.objects.get_or_create(
            slug=DEMO_WORKSPACE["slug"],
            defaults={"name": DEMO_WORKSPACE["name"], "description": DEMO_WORKSPACE["description"]},
        )
        users = {}
        for spec in DEMO_USERS:
            user, created = User.objects.get_or_create(username=spec["username"])
            if created:
                user.set_password(spec["password"])
                user.save()
            Membership.objects.update_or_create(
                workspace=workspace, user=user, defaults={"role": spec["role"]}
            )
            users[spec["role"]] = user
        analyst = users["analyst"]

        sources = {s.name: s for s in Source.objects.filter(workspace=workspace)}
        for spec in DEMO_SOURCES:
            if spec["name"] not in sources:
                sources[spec["name"]] = source_create(workspace=workspace, actor=analyst, **spec)

        # The coast's gazetteer (Latakia, Tartus, Baniyas/Banias, Jableh, ...) and its words.
        gazetteer_seed(workspace=workspace, actor=users["admin"], region="syria-coast")

        if not Article.objects.filter(workspace=workspace, title=DEMO_ARTICLE_TITLE).exists():
            article = article_import(
                workspace=workspace,
                actor=analyst,
                title=DEMO_ARTICLE_TITLE,
                body=DEMO_ARTICLE_BODY,
                outlet=sources["Coastal Desk Review"],
                url="https://example.org/coast-desk/syria-coast-toll",
                published_on=datetime.date(2025, 3, 9),
            )
            for spec in DEMO_CLAIMS:
                claim_create(
                    article=article,
                    actor=analyst,
                    quote=spec["quote"],
                    source=sources[spec["source"]],
                    kind=spec["kind"],
                    statement=spec.get("statement", ""),
                    intermediaries=[sources[name] for name in spec.get("via", [])],
                    figures=spec.get("figures", []),
                )

        self.stdout.write(self.style.SUCCESS(f"Demo workspace “{workspace.name}” is ready."))
        self.stdout.write("Demo logins (change them before sharing this machine):")
        for spec in DEMO_USERS:
            self.stdout.write(
                f"  {spec['role']:<9} username: {spec['username']:<9} password: {spec['password']}"
            )
