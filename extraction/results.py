"""The values the extractor hands back, and the vocabularies they draw on."""

from __future__ import annotations

from dataclasses import dataclass, field

SOURCE_KINDS: tuple[str, ...] = (
    "monitor",
    "government",
    "armed_group",
    "witness",
    "foreign_government",
    "news_outlet",
    "international_org",
    "other",
)

CLAIM_KINDS: tuple[str, ...] = ("figure", "statement", "testimony", "reaction", "event", "other")

QUALIFIERS: tuple[str, ...] = (
    "exact",
    "more_than",
    "at_least",
    "about",
    "nearly",
    "up_to",
    "fewer_than",
    "dozens",
    "hundreds",
    "thousands",
    "range",
)


@dataclass(frozen=True)
class KnownSource:
    """A source the analysts already track; `key` is opaque here (the Django pk)."""

    key: int | str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "other"


@dataclass
class SuggestedFigure:
    value: int | float
    qualifier: str
    counted: str
    start: int
    end: int
    text: str


@dataclass
class SuggestedClaim:
    start: int
    end: int
    quote: str
    speaker: str
    source_key: int | str | None
    proposed_source_name: str
    proposed_source_kind: str
    chain: list[str]
    kind: str
    statement: str
    figures: list[SuggestedFigure] = field(default_factory=list)
    cue: str = ""
    confidence: float = 0.5
