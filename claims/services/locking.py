"""What every write on a claim shares: the snapshot that history records and
an approval covers, and optimistic locking on the claim's version."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from audit.models import AuditEvent
from claims.exceptions import StaleVersion
from claims.models import Claim
from claims.services.figures import figure_snapshot

# Fields whose change an audit event records (and an approval covers).
CLAIM_FIELDS = (
    "quote",
    "start",
    "end",
    "source_id",
    "kind",
    "statement",
    "summary",
    "credibility",
)


def claim_snapshot(claim: Claim) -> dict[str, Any]:
    """The claim as recorded in history, including its chain and figures."""
    snapshot = {name: getattr(claim, name) for name in CLAIM_FIELDS}
    snapshot["chain"] = list(
        claim.intermediaries.order_by("position").values_list("source_id", flat=True)
    )
    snapshot["figures"] = [
        figure_snapshot(f)
        for f in claim.figures.order_by("position", "id").select_related("outcome", "place")
    ]
    return snapshot


def lock_claim_version(claim_id: int, expected_version: int) -> Claim:
    """Lock the claim row and check the version the actor saw is still current.

    The conditional UPDATE both locks the row and bumps the version, so of two
    concurrent saves carrying the same version exactly one gets through.
    """
    bumped = Claim.objects.filter(pk=claim_id, version=expected_version).update(
        version=F("version") + 1
    )
    if not bumped:
        current = Claim.objects.filter(pk=claim_id).first()
        if current is None:
            raise StaleVersion("This claim was deleted meanwhile; nothing was saved.")
        raise StaleVersion(
            f"Someone saved this claim while you were editing (you had version {expected_version}, "
            f"it is now version {current.version}); nothing was saved. Review the changes below "
            "and apply yours again.",
            current=current,
            changed_fields=changed_since(current, expected_version),
        )
    return Claim.objects.select_related("workspace", "article").get(pk=claim_id)


def changed_since(claim: Claim, version: int) -> list[str]:
    """Names of the fields changed on a claim after the given version, from its history."""
    events = AuditEvent.objects.filter(
        workspace_id=claim.workspace_id, object_type="claim", object_id=str(claim.pk)
    ).order_by("-sequence")[:50]
    changed: list[str] = []
    for event in events:
        versions = event.changes.get("version")
        if versions and versions[0] is not None and versions[0] < version:
            break
        for name in event.changes:
            if name != "version" and name not in changed:
                changed.append(name)
    return changed
