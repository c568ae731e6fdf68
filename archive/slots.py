"""What the archive adds to the claims pages: each evidence item's archive
state in the claim panel, and "Fetch by URL" on the import page."""

from archive.selectors import with_snapshots
from claims.slots import register


def _load_snapshots(context: dict) -> dict:
    with_snapshots(context.get("evidence") or [])
    return {}


register("evidence_item", template="archive/_evidence_archive.html", prepare=_load_snapshots)
register("article_import", template="archive/_fetch_form.html")
