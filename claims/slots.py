"""Extension points ("slots") on the claims pages, filled by other features.

The claims app knows nothing of matching, archives, suggestions or exports,
yet its pages show their sections. Each feature fills named slots from its own
`slots.py` module (found at start-up, as the admin finds admin modules):

    register("claim_panel", template="matching/_claim_matches.html", prepare=...)

A page's presenter calls `prepare(name, context)` once per slot name, which
lets each feature add what its template needs in a fixed number of queries;
the page's template renders the slot with `{% render_slot "claim_panel" %}`.
Imports flow one way: features import this module, never the reverse.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The slots the claims pages offer.
SLOT_NAMES = frozenset(
    {
        "claim_panel",  # sections of the claim panel, below evidence and links
        "evidence_item",  # inside each evidence item of the panel
        "article_head",  # the article page's header actions
        "article_side",  # the article page's side column, below the claim list
        "article_import",  # the import page, beside the paste/upload form
        "workspace_home_head",  # the workspace home's header actions
    }
)

Prepare = Callable[[dict[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True)
class Slot:
    name: str
    template: str
    prepare: Prepare | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    order: int = 100


_REGISTRY: dict[str, list[Slot]] = defaultdict(list)


def register(
    name: str,
    *,
    template: str,
    prepare: Prepare | None = None,
    extra: dict[str, Any] | None = None,
    order: int = 100,
) -> Slot:
    """Fill a slot with a template; `prepare(context)` may return additions
    to the page's context; `extra` is static context for this template only."""
    if name not in SLOT_NAMES:
        raise ValueError(f"No slot called {name!r}; slots are {sorted(SLOT_NAMES)}.")
    slot = Slot(name, template, prepare, dict(extra or {}), order)
    entries = [s for s in _REGISTRY[name] if s.template != template] + [slot]
    _REGISTRY[name] = sorted(entries, key=lambda s: (s.order, s.template))
    return slot


def filled(name: str) -> list[Slot]:
    return list(_REGISTRY.get(name, ()))


def prepare(name: str, context: dict[str, Any]) -> dict[str, Any]:
    """What the slot's features add to a page's context (call once per page)."""
    additions: dict[str, Any] = {}
    for slot in filled(name):
        if slot.prepare is not None:
            additions.update(slot.prepare({**context, **additions}) or {})
    return additions
