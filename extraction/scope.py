"""A figure's scope, read from its sentence and its neighbours
(labelled/FORMAT.md, "Figures" and "Clarifications").

- place: the known place named next to the figure ("31 in Mabuku"), else in
  its sentence (the most specific when each place contains the next, the
  smallest place containing them all when they are siblings), else the part
  or total it belongs to, else the neighbouring sentences; "the city" or "the
  area" stand for the last place of that kind named; an incident no sentence
  locates happened where the article's first located count did. Where
  displaced people fled to is not their place.
- time: the time phrase of the figure's own sentence (see timephrases.py),
  the one right after the figure first; a phrase that dates the report
  ("said on Saturday") dates only a running total, as of that day.
- basis: "since ...", "so far", "has risen to" and present-perfect counts are
  cumulative; a count for a period ("on Saturday alone", "in the past 24
  hours", "last week") is an increment; the toll of one attack, strike or
  raid is an incident. Parts keep the basis of their total.
- a part of a total ("of the dead", "among the victims", "They include", a
  breakdown list) takes the total's time and basis, its place when it names
  none, and its population when its own noun ("the dead") says nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .figures import FigureReading, is_generic, outcome_of, population_of
from .places import PlaceIndex, PlaceMention
from .results import KnownPlace
from .sentences import Sentence
from .timephrases import TimePhrase, end_of_month, find_time_phrases, shift_year
from .vocabulary import THING_NOUNS

INCIDENT_RE = re.compile(
    r"\b(?:attack|strike|airstrike|air\s+strike|drone\s+strike|raid|ambush|bombing|blast|"
    r"explosion|shelling|massacre|assault|rampage|car\s+bomb|suicide\s+bomb\w*|pursuit|"
    r"firefight|shooting|stampede)s?\b|\b(?:bombed|shelled|stormed|struck|hit|exploded|"
    r"raided|ambushed|attacked|opened\s+fire|detonat\w+)\b",
    re.I,
)
CUMULATIVE_RE = re.compile(
    r"\b(?:has|have)\s+(?:now\s+)?(?:risen|climbed|reached|increased|jumped|grown|rose)|"
    r"\b(?:risen|climbed|rose|reached)\s+to\b|\bin\s+total\b|\boverall\s+toll\b|\bso\s+far\b|"
    r"\bto\s+date\b|\bby\s+the\s+end\s+of\b|\bremains?\b",
    re.I,
)
PRESENT_PERFECT_RE = re.compile(
    r"\b(?:has|have)\s+(?:also\s+|now\s+|so\s+far\s+)?(?:been\s+)?\w+(?:ed|en|t)\b", re.I
)
PAST_PERFECT_RE = re.compile(r"\bhad\s+(?:also\s+)?(?:been\s+)?\w+(?:ed|en|t)\b", re.I)
DESTINATION_BEFORE = re.compile(
    r"\b(?:to|toward|towards|into|reached|reaching|in\s+the\s+direction\s+of)\s+"
    r"(?:the\s+)?(?:(?:nearby|neighbouring|neighboring|provincial|regional|coastal|capital)\s+)*"
    r"(?:(?:town|city|village|capital|camp|district|region|province|area|state)\s+of\s+)?$",
    re.I,
)
COORDINATED_PLACE = re.compile(
    r"^\s*(?:,|and|or|,\s*and)\s+(?:the\s+)?(?:(?:town|city|village|camp|district|region|province)"
    r"\s+of\s+)?$",
    re.I,
)
CALLER_FROM = re.compile(
    r"\b(?:by\s+(?:tele)?phone|speaking|reached|calling|interviewed)\s+(?:\w+\s+){0,2}from\s+$",
    re.I,
)
# "MAIDUGURI, 14 October 2025 —", "PORT-AU-PRINCE (Caribbean Wire) —".
DATELINE_RE = re.compile(
    r"\s*[A-Z\u00C0-\u00DD][A-Z\u00C0-\u00DD .'’-]{2,40}(?:\s*,\s*[^—–\n]{0,40}?)?"
    r"(?:\s*\([^)\n]{1,40}\))?\s*[—–]"
)
DEFINITE_PLACE_RE = re.compile(
    r"\b(?:(?:the|that)\s+(?P<noun>city|town|village|camp|area|region|province|district|"
    r"country|capital|governorate|state|territory|locality|neighbourhood|republic|nation|"
    r"villages|towns|camps|localities|hamlets)(?:['’]s)?|(?P<there>there))\b",
    re.I,
)
UNNAMED_PLACE_RE = re.compile(
    r"\b(?:(?:a|an|one|two|three|several)\s+(?:[\w-]+\s+){0,2}(?:village|villages|camp|market|"
    r"town|school|monastery|hospital|neighbourhood|hamlet|settlement|district|mosque|church)|"
    r"(?:on|in|across)\s+(?:[\w-]+\s+){0,1}(?:villages|camps|towns|hamlets))\b",
    re.I,
)
EVENT_REFERENCE_RE = re.compile(
    r"\bthe\s+(?:[\w-]+\s+)?(?:attack|strike|raid|blast|bombing|assault|massacre|ambush|"
    r"explosion|shelling|rampage)s?\b",
    re.I,
)
REPORT_GAP = re.compile(
    r"^[\s,]*(?:(?:in|on)\s+(?:a|an|its|their|his|her)\s+(?:(?!\bthat\b)[\w\s-]){0,40}?|"
    r"to\s+(?:(?!\bthat\b)[\w\s-]){0,30}?|"
    r"(?:the\s+)?[A-Z](?:(?!\bthat\b)[\w\s'’-]){0,40}?|reporters(?:\s+in\s+[A-Z][\w-]+)?|"
    r"by\s+(?:phone|telephone)\s*|,?\s*)$",
)
_LEVEL_OF_NOUN = {
    "city": {"locality", "district"},
    "town": {"locality", "district"},
    "village": {"locality"},
    "camp": {"locality"},
    "neighbourhood": {"locality"},
    "locality": {"locality"},
    "capital": {"locality", "district", "region"},
    "area": {"district", "region"},
    # For "the area", prefer a district over a region (see _LEVEL_ORDER).
    "district": {"district"},
    "region": {"region", "district"},
    "province": {"region"},
    "governorate": {"region"},
    "state": {"region"},
    "territory": {"region", "district"},
    "there": {"locality", "district"},
}
# A definite place noun may be followed by these without being an adjective.
_AFTER_PLACE_NOUN = frozenset(
    [
        "of",
        "in",
        "on",
        "at",
        "and",
        "to",
        "was",
        "were",
        "is",
        "has",
        "had",
        "where",
        "which",
        "that",
        "since",
        "for",
        "by",
        "from",
        "after",
        "during",
        "alone",
        "itself",
        "said",
        "overnight",
        "today",
        "yesterday",
        "now",
        "this",
        "last",
        "early",
        "late",
        "again",
        "also",
        "too",
        "before",
        "until",
        "while",
        "when",
        "with",
    ]
)
# "the area": the district named last, else the region.
_LEVEL_ORDER = ("locality", "district", "region", "country")
_PLURAL_PLACE = {
    "villages": "locality",
    "towns": "locality",
    "camps": "locality",
    "localities": "locality",
    "hamlets": "locality",
}


@dataclass
class ClaimContext:
    """What the scope step needs to know about the claim a figure is in."""

    sentence_index: int
    start: int
    end: int
    speaker_span: tuple[int, int] = (0, 0)
    # Where the speaker and any words about them sit ("The state governor, who
    # visited the village on Saturday,"): no time or place of the count there.
    subject_span: tuple[int, int] = (0, 0)
    cue_span: tuple[int, int] = (0, 0)
    testimony: bool = False
    continuation: bool = False
    speaker_kind: str = "other"
    speaker: object | None = None


@dataclass
class _Placed:
    place: KnownPlace | None
    text: str = ""


@dataclass
class _Total:
    sentence_index: int
    reading: FigureReading
    root: FigureReading


@dataclass
class ArticleScope:
    """Article-wide state: places named per sentence, the totals counted so far,
    and the publication date the time phrases are resolved against."""

    text: str
    sentences: list[Sentence]
    places: PlaceIndex
    published: dt.date | None
    mentions: list[list[PlaceMention]] = field(default_factory=list)
    totals: list[_Total] = field(default_factory=list)
    lead_place: KnownPlace | None = None
    # Who speaks in each sentence that is a claim; None for narration.
    speakers: dict[int, object] = field(default_factory=dict)
    attributed: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        dateline = DATELINE_RE.match(self.text)
        self.dateline = dateline.end() if dateline else 0
        self.mentions = [self.places.mentions(self.text, s.start, s.end) for s in self.sentences]
        counts: dict[str, int] = {}
        for sentence_mentions in self.mentions:
            for mention in sentence_mentions:
                if mention.place.level == "country":
                    counts[mention.place.name] = counts.get(mention.place.name, 0) + 1
        country = max(counts, key=lambda k: counts[k]) if counts else None
        self.country = self.places.by_name.get(country) if country else self.places.single_country()

    # -- places -----------------------------------------------------------
    def _usable(
        self, mentions: list[PlaceMention], outcome: str | None, speaker: tuple[int, int]
    ) -> list[PlaceMention]:
        out: list[PlaceMention] = []
        destination_end = -1
        for mention in mentions:
            if mention.start < self.dateline:
                continue  # "PORT-AU-PRINCE (Caribbean Wire) —": where it was filed
            after = self.text[mention.end : mention.end + 2]
            if re.match(r" [A-Z][a-z]", self.text[mention.end : mention.end + 3]):
                continue  # "Sudan People's Liberation Movement": part of a name
            if speaker[0] <= mention.start < speaker[1] and after[:1] in {"'", "’"}:
                continue  # "Gaza's Health Ministry": whose institution, not where
            before = self.text[max(0, mention.start - 60) : mention.start]
            if CALLER_FROM.search(before):
                continue  # "said by phone from Bahir Dar": where the speaker is
            if outcome == "displaced" and (
                DESTINATION_BEFORE.search(before)
                or (
                    destination_end >= 0
                    and COORDINATED_PLACE.match(self.text[destination_end : mention.start])
                )
            ):
                destination_end = mention.end
                continue  # where people fled to is not where they were displaced from
            out.append(mention)
        return out

    def _definite(self, match: re.Match[str], before: int) -> KnownPlace | None:
        """'the city', 'the area', 'the country', 'there': the last place of that
        kind named before; 'the villages': the place containing those named."""
        noun = (match.group("noun") or match.group("there") or "").lower()
        following = re.match(r"\s+([a-z]+)", self.text[match.end() : match.end() + 20])
        if following and following.group(1) not in _AFTER_PLACE_NOUN:
            return None  # "the state news agency", "the city centre": not a place reference
        if noun in {"country", "republic", "nation"}:
            return self.country
        earlier = [
            m for sentence_mentions in self.mentions for m in sentence_mentions if m.start < before
        ]
        if noun in _PLURAL_PLACE:
            level = _PLURAL_PLACE[noun]
            named = [m.place for m in earlier if m.place.level == level]
            return self.places.combine(named) if len(named) > 1 else None
        levels = _LEVEL_OF_NOUN.get(noun, set())
        for level in _LEVEL_ORDER:
            if level not in levels:
                continue
            for mention in reversed(earlier):
                if mention.place.level == level:
                    return mention.place
        return None

    def _refine(self, place: KnownPlace, index: int, start: int, end: int) -> KnownPlace:
        """'a village in Kachin state' and the next sentence names the village."""
        if not UNNAMED_PLACE_RE.search(self.text, start, end):
            return place
        deeper: dict[str, KnownPlace] = {}
        for j in (index - 1, index + 1):
            if 0 <= j < len(self.mentions):
                for mention in self.mentions[j]:
                    other = mention.place
                    if other.name != place.name and self.places.contains(place, other):
                        deeper[other.name] = other
        return next(iter(deeper.values())) if len(deeper) == 1 else place

    def _window(self, reading: FigureReading) -> tuple[int, int]:
        """Where the figure's own place or time is written: up to the next figure;
        an aside ("among them six soldiers,") ends at its comma."""
        lo, hi = reading.local
        if self.text[hi - 1 : hi] == "(":
            hi = max(lo, self.text.rfind(",", lo, hi) if "," in self.text[lo:hi] else hi)
        if reading.inclusion and "," in self.text[reading.figure.end : hi]:
            hi = self.text.index(",", reading.figure.end, hi)
        return lo, hi

    def _local_place(
        self, reading: FigureReading, context: ClaimContext, inherited: KnownPlace | None = None
    ) -> _Placed | None:
        """The place written next to the figure: 'Umm Sayala (71)', '31 in Mabuku',
        'at the city's hospitals'."""
        figure = reading.figure
        start = figure.start
        if self.text[max(0, start - 1) : start] == "(":
            mentions = self.places.mentions(self.text, max(context.start, start - 60), start)
            if mentions and not self.text[mentions[-1].end : start].strip(" (").strip():
                return _Placed(mentions[-1].place, self.text[mentions[-1].start : mentions[-1].end])
        lo, hi = self._window(reading)
        subject = context.subject_span
        mentions = self._usable(
            [
                m
                for m in self.places.mentions(self.text, lo, hi)
                if not (subject[0] <= m.start < subject[1])
            ],
            figure.outcome,
            context.speaker_span,
        )
        definite = next(
            (
                m
                for m in DEFINITE_PLACE_RE.finditer(self.text, lo, hi)
                if not (subject[0] <= m.start() < subject[1])
            ),
            None,
        )
        if definite is not None and (not mentions or definite.start() < mentions[0].start):
            place = self._definite(definite, definite.start())
            if place is not None:
                return _Placed(place, definite.group(0))
        if mentions:
            place = self.places.combine([m.place for m in mentions])
            if place is not None:
                index = context.sentence_index
                place = self._refine(place, index, context.start, context.end)
                if inherited is not None and self.places.contains(place, inherited):
                    return _Placed(inherited)
                return _Placed(place, self.text[mentions[0].start : mentions[0].end])
        return None

    def _neighbour_ok(self, j: int, context: ClaimContext) -> bool:
        """A neighbouring sentence locates a count when it is narration or the same
        speaker's account, not another speaker's claim."""
        same_paragraph = (
            self.sentences[j].paragraph == self.sentences[context.sentence_index].paragraph
        )
        if j < context.sentence_index:
            speaker = self.speakers.get(j)
            return same_paragraph or speaker is None or speaker is context.speaker
        return same_paragraph and j not in self.attributed

    def place_for(
        self,
        reading: FigureReading,
        context: ClaimContext,
        inherited: KnownPlace | None,
        taken: list[tuple[int, int]],
    ) -> _Placed:
        figure = reading.figure
        outcome = figure.outcome
        local = self._local_place(reading, context, inherited)
        if local is not None:
            return local
        index = context.sentence_index
        sentence = self.sentences[index]
        subject = context.subject_span
        own = self._usable(
            [
                m
                for m in self.mentions[index]
                if context.start <= m.start < context.end
                and not any(s <= m.start < e for s, e in taken)
                and not (subject[0] <= m.start < subject[1] and m.start < context.speaker_span[0])
            ],
            outcome,
            context.speaker_span,
        )
        if own:
            place = self.places.combine([m.place for m in own])
            if place is not None:
                place = self._refine(place, index, sentence.start, sentence.end)
                if inherited is not None and self.places.contains(place, inherited):
                    return _Placed(inherited)  # "Sudan" in the sentence, "Kadugli" in the total
                return _Placed(place, self.text[own[0].start : own[0].end])
        if inherited is not None:
            return _Placed(inherited)
        for definite in DEFINITE_PLACE_RE.finditer(self.text, context.start, context.end):
            place = self._definite(definite, definite.start())
            if place is not None:
                return _Placed(place)
        for j in (index - 1, index + 1):
            if not (0 <= j < len(self.sentences)) or not self._neighbour_ok(j, context):
                continue
            if abs(self.sentences[j].paragraph - sentence.paragraph) > 1:
                continue
            near = self._usable(self.mentions[j], outcome, (0, 0))
            near = [m for m in near if m.place.level != "country" or j < index]
            if near:
                place = self.places.combine([m.place for m in near])
                if place is not None:
                    return _Placed(place)
        if figure.basis == "incident" or EVENT_REFERENCE_RE.search(
            self.text, context.start, context.end
        ):
            return _Placed(self.lead_place)
        return _Placed(None)

    # -- time -------------------------------------------------------------
    def _phrases_in(self, context: ClaimContext) -> tuple[list[TimePhrase], TimePhrase | None]:
        """The claim's time phrases, and the one that dates the report."""
        assert self.published is not None
        phrases = find_time_phrases(self.text, context.start, context.end, self.published)
        report = None
        cue_start, cue_end = context.cue_span
        for phrase in phrases:
            if (
                cue_end
                and cue_end <= phrase.start
                and REPORT_GAP.match(self.text[cue_end : phrase.start])
            ):
                report = phrase
                break
            if (
                cue_start
                and phrase.end <= cue_start
                and re.fullmatch(r"\s*", self.text[phrase.end : cue_start])
            ):
                report = phrase
                break
        subject = context.subject_span
        if report is not None and report.kind in {"day", "period"}:
            anchor = dt.date.fromisoformat(report.value.get("to") or report.value["from"])
            if anchor <= self.published:
                phrases = find_time_phrases(
                    self.text, context.start, context.end, self.published, anchor
                )
        phrases = [
            p
            for p in phrases
            if (report is None or (p.start, p.end) != (report.start, report.end))
            and not (subject[0] <= p.start < subject[1])
        ]
        return phrases, report

    def _event_date(self, noun: str, before: int) -> dt.date | None:
        """'since the strike': the date of the earlier sentence that dates it."""
        assert self.published is not None
        stem = noun.rstrip("s")
        for sentence in self.sentences:
            if sentence.start >= before:
                break
            if not re.search(rf"\b{re.escape(stem)}", sentence.text, re.I):
                continue
            for phrase in find_time_phrases(
                self.text, sentence.start, sentence.end, self.published
            ):
                if phrase.kind in {"day", "period", "overnight"} and "from" in phrase.value:
                    return dt.date.fromisoformat(phrase.value["from"])
        return None

    # -- basis ------------------------------------------------------------
    def _basis(
        self, reading: FigureReading, phrase: TimePhrase | None, context: ClaimContext
    ) -> str:
        text = self.text[context.start : context.end]
        kind = phrase.kind if phrase else ""
        if kind == "today_since":
            return "increment"
        if kind in {"since", "since_event", "so_far", "as_of", "to_date"}:
            return "cumulative"
        if kind in {"same_period", "first_of_event"}:
            return "increment"
        # "killed 44 across the Gaza Strip on Wednesday" adds up many events.
        incident = INCIDENT_RE.search(text) is not None and not re.search(r"\bacross\b", text)
        present_perfect = PRESENT_PERFECT_RE.search(text) is not None
        outcome = reading.figure.outcome
        if kind == "period":
            value = phrase.value if phrase else {}
            if re.search(
                r"\b(?:in|over|after)\s+\w+\s+days?\b", phrase.text if phrase else "", re.I
            ):
                return "cumulative" if present_perfect else "incident"
            try:
                days = (
                    dt.date.fromisoformat(value["to"]) - dt.date.fromisoformat(value["from"])
                ).days
            except (KeyError, ValueError):
                days = 30
            past_day = re.search(
                r"\b(?:past|last)\s+(?:24\s+hours|day)\b", phrase.text if phrase else ""
            )
            if days <= 2 and (incident or outcome is None) and not past_day:
                return "incident"
            return "increment"
        if kind in {"day", "overnight"}:
            if re.search(r"\bacross\b", text):
                return "increment"
            if incident or reading.active or outcome is None or outcome == "missing":
                return "incident"
            return "increment"
        if CUMULATIVE_RE.search(text) and not incident:
            return "cumulative"
        if present_perfect and not context.testimony:
            return "cumulative"
        if outcome in {"displaced", "detained", None} and PAST_PERFECT_RE.search(text):
            return "cumulative"
        return "incident"

    # -- antecedents --------------------------------------------------------
    def _antecedent(self, reading: FigureReading, index: int) -> FigureReading | None:
        """The total a part points back to: through a pronoun, the total of the
        same outcome in the sentence just before; "the dead", "the victims" and
        continuations, a toll of the same outcome counted in the two sentences
        before, else the article's first such total (its lead toll); always
        the root total when that one was itself a part."""
        outcome = reading.figure.outcome
        if reading.pronoun_ref:
            # "Two of them were children", "Of these, ...": the total just before.
            previous = [t for t in self.totals if t.sentence_index == index - 1]
            for total in previous:
                if outcome is None or total.root.figure.outcome == outcome:
                    return total.root
        general = {None, "unspecified", "civilians"}
        for total in reversed(self.totals):
            if index - 2 <= total.sentence_index < index and (
                (outcome is None or total.root.figure.outcome == outcome)
                and total.root.figure.population in general
            ):
                return total.root
        for total in self.totals:
            if total.sentence_index < index and (
                outcome is None or total.root.figure.outcome == outcome
            ):
                return total.root
        return None

    def _refers_back(self, reading: FigureReading, context: ClaimContext) -> bool:
        if reading.refers_back:
            return True
        lo = max(reading.sentence[0], reading.figure.start - 50)
        before = self.text[lo : reading.figure.start]
        after = self.text[reading.figure.end : min(reading.local[1], reading.figure.end + 60)]
        if re.search(
            r"\b(?:the\s+)?(?:dead|victims|martyrs|wounded|those\s+killed)\s+(?:included?|were|are)"
            r"\s+(?:[\w-]+\s+){0,2}$",
            before,
            re.I,
        ) or re.search(
            r"\bamong\s+(?:the\s+)?(?:dead|victims|martyrs|wounded|those\s+killed)\b",
            before + " " + after,
            re.I,
        ):
            return True
        return context.continuation

    # -- putting it together ----------------------------------------------------
    def apply(self, readings: list[FigureReading], context: ClaimContext) -> None:
        """Set every reading's place, time and basis, and its outcome and
        population where only its total says them."""
        if context.speaker is not None:
            self.speakers[context.sentence_index] = context.speaker
        if not readings:
            return
        phrases, report = self._phrases_in(context) if self.published is not None else ([], None)
        roots: dict[int, FigureReading] = {}
        first_counted: FigureReading | None = None
        for position, reading in enumerate(readings):
            figure = reading.figure
            parent: FigureReading | None = None
            if figure.part_of is not None and figure.part_of < position:
                parent = readings[figure.part_of]
            elif reading.list_item and position > 0:
                parent = next(
                    (r for r in reversed(readings[:position]) if r.noun == reading.noun),
                    readings[position - 1],
                )
            elif self._refers_back(reading, context):
                parent = self._antecedent(reading, context.sentence_index)
            root = roots.get(id(parent), parent) if parent is not None else reading
            roots[id(reading)] = root
            thing = (
                bool(reading.noun)
                and outcome_of(reading.noun, "") is None
                and not figure.outcome
                and is_thing(reading.noun)
            )
            if (
                parent is not None
                and not thing
                and (reading.needs_antecedent or not figure.outcome)
            ):
                if not reading.noun and parent.noun:
                    reading.noun = parent.noun
                if not reading.verb:
                    reading.verb = parent.verb
                reading.describe()
                if not figure.outcome:
                    figure.outcome = parent.figure.outcome
                    own = population_of(reading.noun)
                    figure.population = (
                        (parent.figure.population if is_generic(reading.noun) else own)
                        if figure.outcome
                        else None
                    )
            if (
                parent is not None
                and figure.outcome
                and is_generic(reading.noun)
                and parent.figure.population
            ):
                figure.population = parent.figure.population
            if figure.outcome and figure.population is None:
                figure.population = population_of(reading.noun)
            if figure.outcome and re.fullmatch(
                r"(?:its|their|his|her)?\s*members?(?:\s+of\s+(?:its|his|their)\s+\w+)?",
                reading.noun.lower(),
            ):
                figure.population = {
                    "armed_group": "armed_groups",
                    "government": "security_forces",
                }.get(context.speaker_kind, figure.population)
            phrase = self._phrase_for(reading, phrases, has_parent=parent is not None)
            if parent is not None and phrase is None:
                figure.basis = parent.figure.basis
                figure.time = dict(parent.figure.time) if parent.figure.time else None
                figure.time_text = parent.figure.time_text
            else:
                figure.basis = self._basis(reading, phrase, context)
                figure.time, figure.time_text = self._time(
                    reading, phrase, report, readings, position
                )
                if figure.outcome is None and first_counted is not None and phrase is None:
                    # "killed 51 soldiers and seized 11 vehicles": the same event.
                    figure.basis = first_counted.figure.basis
                    first_time = first_counted.figure.time
                    figure.time = dict(first_time) if first_time else None
                if parent is not None and figure.part_of is not None:
                    figure.basis = parent.figure.basis
            if first_counted is None and figure.outcome is not None:
                first_counted = reading
            inherited = None
            if parent is not None and not reading.list_item:
                inherited = self.places.resolve(root.figure.place) if root.figure.place else None
            taken = [
                self._window(r)
                for r in readings
                if r is not reading and r.figure.part_of == position
            ]
            placed = self.place_for(reading, context, inherited, taken)
            figure.place = placed.place.name if placed.place else None
            figure.place_text = placed.text
            if figure.place is None and parent is not None and reading.list_item:
                figure.place = parent.figure.place
        if self.lead_place is None:
            for reading in readings:
                if reading.figure.place:
                    self.lead_place = self.places.resolve(reading.figure.place)
                    break
        for reading in readings:
            if reading.figure.part_of is None and not reading.list_item:
                self.totals.append(
                    _Total(context.sentence_index, reading, roots.get(id(reading), reading))
                )

    def _phrase_for(
        self, reading: FigureReading, phrases: list[TimePhrase], *, has_parent: bool
    ) -> TimePhrase | None:
        """The time phrase of a figure: one next to it (up to the next figure),
        else the last one before it in its sentence, else (for a figure that is
        nobody's part) the first one after it."""
        lo, hi = reading.sentence
        start, local_end = reading.figure.start, reading.local[1]
        local = [p for p in phrases if start <= p.start < local_end]
        if local:
            return local[0]
        before = [p for p in phrases if lo <= p.start and p.end <= start]
        if before:
            return before[-1]
        if has_parent:
            return None
        after = [p for p in phrases if start <= p.start < hi]
        return after[0] if after else None

    def _time(
        self,
        reading: FigureReading,
        phrase: TimePhrase | None,
        report: TimePhrase | None,
        readings: list[FigureReading],
        position: int,
    ) -> tuple[dict[str, str] | None, str]:
        figure = reading.figure
        if phrase is None:
            if figure.basis == "cumulative" and report is not None and report.kind == "day":
                return {"as_of": report.value["from"]}, report.text
            return None, ""
        value = dict(phrase.value)
        if phrase.kind == "same_period":
            earlier = [r.figure for r in reversed(readings[:position])]
            earlier += [t.root.figure for t in self.totals]  # the lead period first
            for other in earlier:
                if other.time and "from" in other.time:
                    if "year" not in value:
                        return dict(other.time), phrase.text
                    return shift_year(other.time, int(value["year"])), phrase.text
            return None, ""
        if phrase.kind in {"since_event", "first_of_event"}:
            start = self._event_date(value["event"], phrase.start)
            if start is None:
                return None, ""
            if phrase.kind == "first_of_event":
                n = int(value["n"])
                unit = value["unit"]
                if unit == "year":
                    end = start.replace(year=start.year + n) - dt.timedelta(days=1)
                else:
                    days = {"month": 30, "week": 7, "day": 1}.get(unit, 1) * n
                    end = start + dt.timedelta(days=days - 1)
                return {"from": start.isoformat(), "to": end.isoformat()}, phrase.text
            assert self.published is not None
            to = _report_end(report, self.published) if report is not None else self.published
            return {"from": start.isoformat(), "to": to.isoformat()}, phrase.text
        if phrase.kind == "since" and report is not None:
            assert self.published is not None
            value["to"] = _report_end(report, self.published).isoformat()
        if figure.outcome == "missing" and phrase.kind == "day":
            return {"as_of": value["to"]}, phrase.text
        return value, phrase.text


def is_thing(noun: str) -> bool:
    from_words = re.findall(r"[a-z]+", noun.lower())
    return bool(from_words) and any(w in THING_NOUNS for w in from_words[:3])


def _report_end(report: TimePhrase, published: dt.date) -> dt.date:
    """The date a report speaks for: its day, or the end of its month or year."""
    value = report.value
    if "to" in value:
        day = dt.date.fromisoformat(value["to"])
        if report.kind == "period" and value.get("from", "")[8:] == "01":
            start = dt.date.fromisoformat(value["from"])
            if day.month == start.month and day.year == start.year:
                day = end_of_month(day)
        return day
    return published
