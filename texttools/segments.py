"""Split an article body into segments for highlighting overlapping claims. Pure.

Claims may overlap or nest. The text is cut at every claim boundary; each
segment knows every claim covering it, so the page can show all layers
(depth) and offer each covering claim when a segment is clicked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol


class Span(Protocol):
    pk: int
    start: int
    end: int
    kind: str


@dataclass
class Segment:
    text: str
    start: int
    claims: list = field(default_factory=list)  # covering claims, outermost first

    @property
    def innermost(self):
        return self.claims[-1] if self.claims else None

    @property
    def depth(self) -> int:
        return len(self.claims)

    @property
    def claim_ids(self) -> str:
        return " ".join(str(c.pk) for c in self.claims)

    @property
    def starts(self) -> list:
        """Claims that begin at this segment: where a highlight's anchor lives."""
        return [c for c in self.claims if c.start == self.start]


def segment_text(body: str, claims: Iterable[Span]) -> list[Segment]:
    spans: Sequence[Span] = sorted(
        (c for c in claims if 0 <= c.start < c.end <= len(body)),
        key=lambda c: (c.start, -c.end, c.pk),
    )
    cuts = sorted({0, len(body), *(c.start for c in spans), *(c.end for c in spans)})
    segments: list[Segment] = []
    active: list[Span] = []
    pending = list(spans)
    pending.reverse()  # pop() from the end takes the next claim by start
    for left, right in pairwise(cuts):
        active = [c for c in active if c.end > left]
        while pending and pending[-1].start == left:
            active.append(pending.pop())
        # Outermost (longest, earliest) first, so the innermost draws on top.
        ordered = sorted(active, key=lambda c: (c.start, -c.end, c.pk))
        segments.append(Segment(text=body[left:right], start=left, claims=ordered))
    return segments
