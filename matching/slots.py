"""What matching adds to the claim panel: proposals, independence, the match job."""

from claims.slots import register
from matching.selectors import claim_panel_context


def _matching(context: dict) -> dict:
    return claim_panel_context(context["claim"])


register("claim_panel", template="matching/_claim_matches.html", prepare=_matching)
