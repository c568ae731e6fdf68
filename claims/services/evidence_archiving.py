"""Archive evidence links after they are saved (the archive job is J's feature)."""

from __future__ import annotations

from django.db import transaction


def archive_after_commit(*, evidence, actor) -> None:
    """Start the archive job for an evidence's URL once the change commits."""

    def start() -> None:
        try:
            from claims.services.fetch_jobs import evidence_archive_start
        except ImportError:  # the archive feature is not installed in this build
            return
        with transaction.atomic():
            evidence_archive_start(evidence=evidence, actor=actor)

    transaction.on_commit(start)
