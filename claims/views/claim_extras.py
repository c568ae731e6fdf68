"""Extra context for the claim panel, contributed by features (matching, jobs...).

Each provider takes the claim (loaded by claims.selectors.claim_for_workspace)
and returns a dict merged into the panel's context. Providers must run a fixed
number of queries, whatever the claim's size.
"""

from collections.abc import Callable
from importlib import import_module

# "module:function" strings, so features register without import cycles.
PROVIDERS: list[str] = ["claims.selectors_matching:claim_panel_context"]


def extra_claim_context(claim) -> dict:
    context: dict = {}
    for dotted in PROVIDERS:
        module, _, name = dotted.partition(":")
        provider: Callable = getattr(import_module(module), name)
        context.update(provider(claim))
    return context
