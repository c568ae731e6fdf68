"""Finding figures ("more than 1,000 people killed") and what they count.

A figure is a count of people or things: casualties, bodies, homes, missiles.
Ages ("57-year-old"), dates and years, durations ("two days"), distances,
percentages and money are not figures, because an analyst cannot add them up
against another source's count.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .lexicon import FINITE_VERBS, PREPOSITIONS, RELATIVE_WORDS, words
from .numbers import NUMBER_RE, parse_digits, parse_vague, parse_words
from .results import SuggestedFigure

QUALIFIER_RE = re.compile(
    r"(?P<q>more\s+than|well\s+over|over|upwards\s+of|in\s+excess\s+of|at\s+least|"
    r"a\s+minimum\s+of|no\s+(?:fewer|less)\s+than|not\s+less\s+than|about|around|"
    r"roughly|approximately|an\s+estimated|estimated|some|nearly|almost|close\s+to|"
    r"just\s+under|up\s+to|as\s+many\s+as|fewer\s+than|less\s+than|under|below)\s+$",
    re.IGNORECASE,
)
QUALIFIER_NAMES: dict[str, str] = {
    "more than": "more_than",
    "well over": "more_than",
    "over": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "at least": "at_least",
    "a minimum of": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "not less than": "at_least",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "an estimated": "about",
    "estimated": "about",
    "some": "about",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "up to": "up_to",
    "as many as": "up_to",
    "fewer than": "fewer_than",
    "less than": "fewer_than",
    "under": "fewer_than",
    "below": "fewer_than",
}

# Words right after a number that make it something other than a count.
UNIT_RE = re.compile(
    r"\s*(?:%|percent\b|per\s+cent\b|percentage\b|km\b|kilomet\w+|miles?\b|met(?:re|er)s?\b|"
    r"feet\b|hours?\b|days?\b|weeks?\b|months?\b|years?\b|decades?\b|minutes?\b|seconds?\b|"
    r"times\b|a\.m\.|p\.m\.|o'clock\b|dollars?\b|euros?\b|pounds?\b|tons?\b|tonnes?\b|"
    r"litres?\b|liters?\b|kg\b|kilograms?\b|st\b|nd\b|rd\b|th\b|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b)",
    re.IGNORECASE,
)
MONTH_BEFORE_RE = re.compile(
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+$",
    re.IGNORECASE,
)

# Events, longest phrases first so "shot dead" wins over "shot".
_EVENTS: tuple[tuple[str, str], ...] = (
    (r"shot\s+dead|shot\s+and\s+killed|lost\s+their\s+lives", "killed"),
    (r"among\s+the\s+(?:dead|victims|fatalities)", "killed"),
    (r"unaccounted\s+for", "missing"),
    (
        r"to\s+flee|driven\s+(?:from|out\s+of)\s+their\s+homes|forced\s+from\s+their\s+homes",
        "displaced",
    ),
    (r"set\s+(?:ablaze|on\s+fire)", "burned"),
    (r"shot\s+down", "destroyed"),
    (r"(?:hacked|stabbed|burned|beaten)\s+to\s+death", "killed"),
    (
        r"killed|dead|died|slain|perished|kills|killing|beheaded|massacred|murdered|"
        r"slaughtered|neutrali[sz]ed",
        "killed",
    ),
    (r"executed", "executed"),
    (r"wounded|injured|hurt|wounding|injuring", "wounded"),
    (r"missing", "missing"),
    (r"displaced|fled|uprooted|evacuated", "displaced"),
    (r"arrested|detained", "detained"),
    (r"abducted|kidnapped", "abducted"),
    (r"looted|ransacked", "looted"),
    (r"burned|burnt|torched", "burned"),
    (r"destroyed|demolished|intercepted", "destroyed"),
    (r"damaged", "damaged"),
    (r"launched|fired", "launched"),
)
EVENT_AT_RE = re.compile(
    r"(?:" + "|".join(f"(?P<e{i}>{p})" for i, (p, _) in enumerate(_EVENTS)) + r")\b",
    re.IGNORECASE,
)
_BACK_EVENTS = (*_EVENTS, (r"death\s+toll|toll|victims|deaths|lost", "killed"))
EVENT_BACK_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<e{i}>{p})" for i, (p, _) in enumerate(_BACK_EVENTS)) + r")\b",
    re.IGNORECASE,
)
# Participles that may stand before a noun as adjectives ("130 wounded people").
EVENT_ADJECTIVES = words("wounded injured missing displaced dead detained abducted killed")

POSTMODIFIERS = re.compile(
    r"(?:loyal|affiliated|linked|allied|belonging|aligned|close|attached|tied)\s+(?:to|with)\b",
    re.IGNORECASE,
)
IRREGULAR_VERBS = words(
    """struck hit ran took left came went fell made got held brought fought said told say
    says remain remained remains include included includes came come go stood lay lie lies
    lived live remain stay stayed saw see sent kept keep"""
)
NP_STOP = (
    FINITE_VERBS
    | (PREPOSITIONS - {"of"})
    | RELATIVE_WORDS
    | words(
        """and or but than as also mostly most including among all both each per still
        reportedly already only just now then so while because if not no nor overnight
        yesterday today tonight early late later earlier there here mainly largely
        according across"""
    )
)
FORWARD_STOP = words("that while but where when because if though although whereas whom said")
# Fillers between a number and the noun it counts: "dozens more were wounded".
LEADING_NP_FILLERS = words("more")

_TOKEN_RE = re.compile(r"[A-Za-z\u00C0-\u024F][\w'’\u00C0-\u024F-]*|\d[\d,.]*|[^\w\s]")


@dataclass
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    return [
        _Token(m.group(0), start + m.start(), start + m.end())
        for m in _TOKEN_RE.finditer(text[start:end])
    ]


def _event_name(match: re.Match[str], table: tuple[tuple[str, str], ...]) -> str:
    for i, (_, name) in enumerate(table):
        if match.group(f"e{i}") is not None:
            return name
    return ""


CONTEXT_CHARS = 300
_CLAUSE_END_RE = re.compile(r"[.!?;](?=[\"”’)]*(?:\s|$))|\n")


def _clause_ends(text: str, lo: int, hi: int) -> list[int]:
    """Ends of the sentence-like stretches in text[lo:hi], found in one pass."""
    return [m.end() for m in _CLAUSE_END_RE.finditer(text, lo, hi)]


def _sentence_bounds(ends: list[int], pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The stretch of text around pos that counts as its sentence for context."""
    i = bisect.bisect_right(ends, pos)
    left = ends[i - 1] if i > 0 else lo
    right = ends[i] if i < len(ends) else hi
    return left, right


def _value_of(match: re.Match[str]) -> tuple[int | float | None, str | None]:
    if match.group("digits"):
        return parse_digits(match.group("digits")), None
    if match.group("vague"):
        vague = parse_vague(match.group("vague"))
        return (vague[0], vague[1]) if vague else (None, None)
    return parse_words(match.group("words")), None


def _is_excluded(text: str, match: re.Match[str], left: int) -> bool:
    s, e = match.start(), match.end()
    after = text[e : e + 30]
    before = text[max(left, s - 12) : s]
    if after.startswith("-") and len(after) > 1 and after[1].isalpha():
        return True  # "57-year-old", "four-day": part of an adjective
    if UNIT_RE.match(after):
        return True
    if re.search(r"[$€£#]\s*$|\bNo\.\s*$", before):
        return True
    if MONTH_BEFORE_RE.search(text[max(left, s - 12) : s]):
        return True
    if re.search(
        r"\b(?:mother|father|parent|mum|dad)s?\s+of\s+$", text[max(left, s - 20) : s], re.I
    ):
        return True  # "a mother of four" describes a family, not a toll
    digits = match.group("digits")
    if digits and re.fullmatch(r"(?:19|20)\d\d", digits):
        return True  # a year
    if digits and after[:1] == ":":
        return True  # a time of day
    word = (match.group("words") or "").lower()
    if word in {"one", "a", "an"}:
        if re.match(r"\s+(?:of|another|day|time|point|side|way|hand)\b", after, re.I):
            return True
        if re.search(r"\b(?:no|any|each|every|the)\s+$", before, re.I):
            return True
    return False


@dataclass
class _Counted:
    noun: str = ""
    event: str = ""
    end: int = 0


def _read_counted(tokens: list[_Token], text: str) -> _Counted:
    """The noun phrase after a number, and an event named right after it."""
    i = 0
    noun: list[str] = []
    # Partitives: "20 of his neighbours", "three of them children".
    if i < len(tokens) and tokens[i].lower == "of":
        i += 1
        if i < len(tokens) and tokens[i].lower in {
            "the",
            "his",
            "her",
            "their",
            "its",
            "our",
            "those",
            "these",
            "them",
            "whom",
        }:
            i += 1
    while i < len(tokens) and tokens[i].lower in LEADING_NP_FILLERS:
        i += 1
    event = ""
    head_len = 0
    while i < len(tokens) and head_len < 6:
        tok = tokens[i]
        low = tok.lower
        if not tok.is_word:
            break
        if low in NP_STOP or low in IRREGULAR_VERBS:
            break
        if noun and POSTMODIFIERS.match(text, tok.start):
            break
        if low in EVENT_ADJECTIVES and not noun:
            noun.append(low)
            i += 1
            continue
        at = EVENT_AT_RE.match(text, tok.start)
        if at and noun:
            break
        if tok.text[0].islower() and (low.endswith("ing") or low.endswith("ly")):
            break
        if noun and tok.text[0].islower() and low.endswith("ed") and low not in EVENT_ADJECTIVES:
            break
        noun.append(low)
        head_len += 1
        i += 1
    # Post-modifiers that say whose people these are.
    while noun and i < len(tokens):
        tok = tokens[i]
        if tok.lower == "of":
            take = ["of"]
            j = i + 1
        else:
            post = POSTMODIFIERS.match(text, tok.start)
            if not post:
                break
            take = text[post.start() : post.end()].lower().split()
            j = i
            while j < len(tokens) and tokens[j].end <= post.end():
                j += 1
        sub: list[str] = []
        while j < len(tokens) and len(sub) < 7:
            t = tokens[j]
            if not t.is_word or (t.lower in NP_STOP and t.lower not in {"the", "a", "an"}):
                break
            if EVENT_AT_RE.match(text, t.start) and t.lower not in EVENT_ADJECTIVES:
                break
            sub.append(t.lower if t.text[0].islower() else t.text.lower())
            j += 1
        if not sub:
            break
        noun.extend(take + sub)
        i = j
    end = tokens[i - 1].end if i > 0 and noun else (tokens[0].start if tokens else 0)
    return _Counted(" ".join(noun), event, end)


def _forward_event(tokens: list[_Token], text: str, start_index: int) -> str:
    """The event a figure took part in, read from the rest of its clause."""
    i = start_index
    seen = 0
    passed_verb = False
    while i < len(tokens) and seen < 20:
        tok = tokens[i]
        if not tok.is_word:
            if tok.text in ',;:.!?—–()"“”':
                return ""
            if tok.text[0].isdigit() and (i == 0 or tokens[i - 1].lower != "and"):
                return ""
            i += 1
            seen += 1
            continue
        if tok.lower in FORWARD_STOP:
            return ""
        if tok.lower == "and" and not (
            i + 1 < len(tokens) and NUMBER_RE.match(text, tokens[i + 1].start)
        ):
            # "and 148 fighters ... died" shares the verb; "and wounded" does not.
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            coordinated_verb = (
                passed_verb and nxt is not None and EVENT_AT_RE.match(text, nxt.start)
            )
            if nxt is None or not (
                coordinated_verb or re.match(r"(?:more|at|some|about|over|nearly)\b", nxt.lower)
            ):
                return ""
        at = EVENT_AT_RE.match(text, tok.start)
        if at:
            return _event_name(at, _EVENTS)
        if tok.lower in FINITE_VERBS or tok.lower.endswith("ed"):
            passed_verb = True
        i += 1
        seen += 1
    return ""


def _backward_event(text: str, left: int, pos: int) -> str:
    last = None
    for m in EVENT_BACK_RE.finditer(text, left, pos):
        last = m
    return _event_name(last, _BACK_EVENTS) if last else ""


def _immediate_verb(text: str, left: int, pos: int) -> str:
    """'wounding 63', 'killed 12': an event verb whose object is the number."""
    m = re.search(
        r"\b(killing|killed|kills|wounding|wounded|injuring|injured|displacing|displaced|"
        r"detaining|detained|abducting|abducted)\s+$",
        text[left:pos],
        re.IGNORECASE,
    )
    if not m:
        return ""
    at = EVENT_AT_RE.match(m.group(1))
    return _event_name(at, _EVENTS) if at else ""


def extract_figures(text: str, start: int = 0, end: int | None = None) -> list[SuggestedFigure]:
    """Every figure inside text[start:end], with offsets into `text`."""
    end = len(text) if end is None else min(end, len(text))
    found: list[SuggestedFigure] = []
    last_noun_by_sentence: dict[int, str] = {}
    ends = _clause_ends(text, start, end)
    for match in NUMBER_RE.finditer(text, start, end):
        left, right = _sentence_bounds(ends, match.start(), start, end)
        # What a number counts is said close to it; a bounded window keeps
        # unpunctuated text from making this quadratic.
        left = max(left, match.start() - CONTEXT_CHARS)
        right = min(right, match.end() + CONTEXT_CHARS // 2)
        if _is_excluded(text, match, left):
            continue
        value, vague_qualifier = _value_of(match)
        if value is None:
            continue
        phrase_start = match.start()
        qualifier = vague_qualifier or "exact"
        q = QUALIFIER_RE.search(text, max(left, match.start() - 25), match.start())
        if q:
            qualifier = QUALIFIER_NAMES[re.sub(r"\s+", " ", q.group("q").lower())]
            phrase_start = q.start("q")
        after = match.end()
        if match.group("vague"):
            of = re.match(r"\s+of\b", text[after:right])
            if of:
                after += of.end()
        tokens = _tokens(text, after, right)
        counted = _read_counted(tokens, text)
        noun = counted.noun
        consumed = 0
        while consumed < len(tokens) and tokens[consumed].end <= counted.end:
            consumed += 1
        event = counted.event or _forward_event(tokens, text, consumed if noun else 0)
        if noun and not event and not any(w in EVENT_ADJECTIVES for w in noun.split()):
            event = _backward_event(text, left, phrase_start)
        if not noun:
            verb = _immediate_verb(text, left, phrase_start)
            if verb:
                noun = last_noun_by_sentence.get(left, "")
                event = verb
            elif re.search(r"\btoll\b[\w\s]{0,30}$", text[left:phrase_start], re.I):
                noun, event = "dead", ""
            elif event:
                noun, event = ("dead", "") if event == "killed" else (event, "")
        if not noun:
            continue
        last_noun_by_sentence[left] = noun
        counted_text = f"{noun} {event}" if event and event not in noun.split() else noun
        found.append(
            SuggestedFigure(
                value=value,
                qualifier=qualifier,
                counted=counted_text.strip(),
                start=phrase_start,
                end=match.end(),
                text=text[phrase_start : match.end()],
            )
        )
    return found
