"""Articles, sources, claims, evidence, links, the verification workflow and article versions."""

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules

from claims import fulltext


def ensure_sqlite_fulltext(sender, using="default", **kwargs) -> None:
    """SQLite drops a table's triggers when Django rebuilds the table for a
    schema change; put the full-text triggers back (and rebuild the index)
    after every migrate. PostgreSQL keeps its generated columns."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'claims_claim'").fetchone():
            fulltext.sqlite_ensure(cursor)


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"

    def ready(self) -> None:
        # Features fill the claims pages' slots from their slots modules.
        autodiscover_modules("slots")
        post_migrate.connect(ensure_sqlite_fulltext, sender=self)
