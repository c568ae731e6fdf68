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

# The scope vocabulary of a figure (extraction/labelled/FORMAT.md, "Figures").
OUTCOMES: tuple[str, ...] = ("killed", "injured", "missing", "detained", "displaced", "abducted")
POPULATIONS: tuple[str, ...] = ("civilians", "security_forces", "armed_groups", "unspecified")
BASES: tuple[str, ...] = ("cumulative", "increment", "incident")
PLACE_LEVELS: tuple[str, ...] = ("country", "region", "district", "locality")

# How a speaker was resolved, strongest first; `new` means a proposed source.
RESOLUTIONS: tuple[str, ...] = (
    "name",
    "alias",
    "person",
    "description",
    "fuzzy",
    "coreference",
    "kind",
    "author",
    "new",
)


@dataclass(frozen=True)
class KnownSource:
    """A source the analysts already track; `key` is opaque here (the Django pk).

    `descriptions` are how articles describe it without naming it ("Britain-based
    war monitor"); `people` speak for it (its director, its spokesperson)."""

    key: int | str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "other"
    descriptions: tuple[str, ...] = ()
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownPlace:
    """A gazetteer entry: `name` is what a figure's place is set to; `alternatives`
    are other spellings ("Banias" for "Baniyas"); `parent` is the containing
    place's name (None for a country)."""

    name: str
    alternatives: tuple[str, ...] = ()
    level: str = "locality"
    parent: str | None = None


@dataclass
class SuggestedFigure:
    """A count and its scope. `time` is None, {"as_of": "YYYY-MM-DD"} or
    {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}; `part_of` is the index of another
    figure of the same claim that this one is a part of."""

    value: int | float
    qualifier: str
    counted: str
    start: int
    end: int
    text: str
    value_high: int | float | None = None
    outcome: str | None = None
    population: str | None = None
    subgroups: list[str] = field(default_factory=list)
    place: str | None = None
    place_text: str = ""
    time: dict[str, str] | None = None
    time_text: str = ""
    basis: str | None = None
    part_of: int | None = None


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
    # Who spoke for the known source ("Rami Abdurrahman" for the Observatory).
    via_person: str | None = None
    # No reporting verb of its own: it carries on the previous speaker's account.
    continuation: bool = False
    # How the speaker was resolved (one of RESOLUTIONS) and how sure that is.
    resolved_by: str = "new"
    source_confidence: float = 0.0
