"""Finding figures ("more than 1,000 people killed") and what they count.

A figure is a count of people or things: casualties, bodies, homes, missiles.
Ages ("57-year-old", "Olena Kravets, 68,"), dates and years, times of day,
durations ("two days"), distances, percentages, money and numbers inside
names ("Resolution 2254") are not figures, because an analyst cannot add
them up against another source's count.

The grammar of counts that reports use:
- a number and its noun, with the event before or after it: "killed 34
  soldiers", "46 other people were wounded", "the killing of 212 civilians";
- vague quantities as their unit: "dozens of" is 12 with qualifier dozens,
  "scores of" 20 dozens, "hundreds of" 100, "thousands of" 1,000;
- ranges: "between 30 and 40 people" is 30 with value_high 40;
- lists that share one noun: "31 in Latakia, 12 in Tartus and 40 in Hama",
  "Umm Sayala (71), Abu Gaoud (58)";
- partitives and copulas: "830 of the dead were civilians", "of whom 90 were
  members of the security forces", "Two of them were children";
- parts of a total: "at least 23 people, three of them children", "including
  745 civilians", "96 of which were shot down" (`part_of`);
- a total named by its toll: "the toll climbed to 2,040", "put the death toll
  at 42".
What is counted is written once: "deaths", never "deaths killed".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicon import FINITE_VERBS, PREPOSITIONS, RELATIVE_WORDS, words
from .numbers import NUMBER_RE, parse_digits, parse_vague, parse_words
from .results import SuggestedFigure
from .vocabulary import (
    ARMED_GROUPS,
    CIVILIANS,
    COMMUNITIES,
    EVENT_NOUN_OF_RE,
    OBJECT_VERBS,
    OUTCOME_NOUNS,
    OUTCOME_WORDS,
    PARTICIPLES,
    SECURITY_FORCES,
    SUBGROUP_WORDS,
    THING_NOUNS,
    UNSPECIFIED,
)

QUALIFIER_RE = re.compile(
    r"(?P<q>more\s+than|well\s+over|over|upwards\s+of|in\s+excess\s+of|at\s+least|"
    r"a\s+minimum\s+of|no\s+(?:fewer|less)\s+than|not\s+less\s+than|about|around|"
    r"roughly|approximately|an\s+estimated|estimated|some|nearly|almost|close\s+to|"
    r"just\s+under|up\s+to|as\s+many\s+as|as\s+high\s+as|fewer\s+than|less\s+than|under|"
    r"below)\s+[\"“]?$",
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
    "as high as": "up_to",
    "fewer than": "fewer_than",
    "less than": "fewer_than",
    "under": "fewer_than",
    "below": "fewer_than",
}

_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)"
)
# Words right after a number that make it something other than a count.
UNIT_RE = re.compile(
    r"\s*(?:%|percent\b|per\s+cent\b|percentage\b|km\b|kilomet\w+|miles?\b|met(?:re|er)s?\b|"
    r"feet\b|hours?\b|days?\b|nights?\b|weeks?\b|fortnights?\b|months?\b|years?\b|decades?\b|"
    r"minutes?\b|seconds?\b|times\b|a\.m\.|p\.m\.|o'clock\b|dollars?\b|euros?\b|pounds?\b|"
    r"tons?\b|tonnes?\b|litres?\b|liters?\b|kg\b|kilograms?\b|st\b|nd\b|rd\b|th\b|"
    rf"{_MONTHS}\b|(?:and|to|-|–)\s*\d{{1,2}}\s+{_MONTHS}\b)",
    re.IGNORECASE,
)
MONTH_BEFORE_RE = re.compile(
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+$",
    re.IGNORECASE,
)
# Capitalised nouns whose number is part of a name: "Resolution 2254", "Brigade 25".
NAME_NUMBER_BEFORE = re.compile(
    r"\b(?:Resolution|Brigade|Battalion|Division|Regiment|Unit|Route|Highway|Road|Article|"
    r"Camp|Block|Sector|Zone|Flight|Hall|Gate|Building|Platoon|Company|Corps|Squadron|"
    r"Group|Room|Ward|Street|No\.?)\s+$"
)
RANGE_AFTER = re.compile(r"\s*(?P<sep>and|to|-|–)\s*(?=\S)", re.IGNORECASE)
TOLL_BEFORE = re.compile(
    r"\b(?:(?P<death>death)\s+)?toll\b[^.;:]{0,160}?\b(?:at|to|of|reached|reach|stands?\s+at|"
    r"stood\s+at|is|was|rose\s+to|climbed\s+to|risen\s+to)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
NUMBER_OF_BEFORE = re.compile(
    r"\b(?:the\s+)?number\s+of\s+(?P<np>[\w\s'’-]{2,60}?)\s+(?:in\s+[^,.;]{0,80}?\s+)?"
    r"(?:has|had|have)?\s*(?:now\s+)?(?:climbed|risen|rose|reached|increased|jumped|grown|"
    r"stands|stood)\s+(?:to\s+|at\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
PUT_NUMBER_OF = re.compile(
    r"\bput\s+the\s+number\s+of\s+(?P<np>[^.;]{2,80}?)\s+(?:at\s+)?$", re.IGNORECASE
)
# "Of the dead, 348 were civilians", "Of these martyrs, 128 fell", "They include":
# the clause opens by pointing back at a total.
FRONTED_PARTITIVE = re.compile(
    r"[\W]*(?:(?:of|among)\s+(?P<det>the|these|those|them)(?:\s+(?:remaining|other)\b)?"
    r"(?:\s+(?P<head>[a-z]+))?\s*,|(?P<pron>they|these|those)\s+(?:include|included|are|were)\b)",
    re.IGNORECASE,
)
SUBJECT_NOUN_RE = re.compile(
    r"\b(?:the|of\s+the|among\s+the)\s+(?P<n>dead|victims|wounded|injured|missing|displaced)\b",
    re.IGNORECASE,
)

# What follows a number and a noun to say what happened to them.
_EVENTS: tuple[tuple[str, str], ...] = (
    (r"shot\s+dead|shot\s+and\s+killed|lost\s+their\s+lives", "killed"),
    (r"among\s+(?:the\s+)?(?:dead|victims|fatalities|those\s+killed)", "killed"),
    (r"among\s+(?:the\s+)?(?:wounded|injured)", "wounded"),
    (r"unaccounted\s+for", "missing"),
    (
        r"to\s+flee(?:\s+their\s+homes)?|driven\s+(?:from|out\s+of)\s+their\s+homes|"
        r"forced\s+from\s+their\s+homes|fled\s+their\s+homes",
        "displaced",
    ),
    (r"set\s+(?:ablaze|on\s+fire)", "set on fire"),
    (r"shot\s+down", "shot down"),
    (r"(?:hacked|stabbed|burned|beaten)\s+to\s+death", "killed"),
    (
        r"killed|dead|died|slain|perished|kills|killing|beheaded|massacred|murdered|"
        r"slaughtered|neutrali[sz]ed|fell|executed|shot",
        "",
    ),
    (r"wounded|injured|hurt|wounding|injuring", ""),
    (r"missing|trapped", ""),
    (r"displaced|fled|uprooted|evacuated|sheltering", ""),
    (r"arrested|detained", ""),
    (r"abducted|kidnapped", ""),
    (r"looted|ransacked|burned|burnt|torched|destroyed|demolished|intercepted|damaged", ""),
    (r"launched|fired|seized|deployed|distributed|recovered|buried|found|escaped", ""),
)
EVENT_AT_RE = re.compile(
    r"(?:" + "|".join(f"(?P<e{i}>{p})" for i, (p, _) in enumerate(_EVENTS)) + r")\b",
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
    lived live remain stay stayed saw see sent kept keep were was are is"""
)
NP_STOP = (
    FINITE_VERBS
    | (PREPOSITIONS - {"of"})
    | RELATIVE_WORDS
    | words(
        """and or but than as also mostly most including among all both each per still
        reportedly already only just now then so while because if not no nor overnight
        yesterday today tonight early late later earlier there here mainly largely
        according across alone"""
    )
)
# Words that open an aside between a count and its verb.
_ASIDE_OPENERS = words("including among of mostly many most some all")
FORWARD_STOP = words(
    "that while but where when because if though although whereas whom said since until"
)
PARTITIVE_REFS = words("them which whom these those")
POSSESSIVES = words("the his her their its our my your these those")
COPULAS = words("were are was is")

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


def _event_at(text: str, pos: int) -> tuple[str, int] | None:
    """The event phrase starting at pos, as a participle, and where it ends."""
    m = EVENT_AT_RE.match(text, pos)
    if not m:
        return None
    for i, (_, name) in enumerate(_EVENTS):
        if m.group(f"e{i}") is not None:
            written = re.sub(r"\s+", " ", m.group(0).lower())
            return (name or PARTICIPLES.get(written, written)), m.end()
    return None


CONTEXT_CHARS = 300
_CLAUSE_END_RE = re.compile(r"[.!?;](?=[\"”’)]*(?:\s|$))|\n")


def _clause_ends(text: str, lo: int, hi: int) -> list[int]:
    """Ends of the sentence-like stretches in text[lo:hi], found in one pass."""
    return [m.end() for m in _CLAUSE_END_RE.finditer(text, lo, hi)]


def _sentence_bounds(ends: list[int], pos: int, lo: int, hi: int) -> tuple[int, int]:
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
    before = text[max(left, s - 30) : s]
    if after.startswith("-") and len(after) > 1 and after[1].isalpha():
        return True  # "57-year-old", "four-day": part of an adjective
    if UNIT_RE.match(after):
        return True
    if re.search(r"[$€£#]\s*$|\bNo\.\s*$", before) or NAME_NUMBER_BEFORE.search(before):
        return True
    if MONTH_BEFORE_RE.search(text[max(left, s - 12) : s]):
        return True
    if re.search(r"\b(?:mother|father|parent|mum|dad)s?\s+of\s+$", before, re.I):
        return True  # "a mother of four" describes a family, not a toll
    if re.search(r"\baged\s+$", before, re.I):
        return True
    digits = match.group("digits")
    if digits and re.fullmatch(r"(?:19|20)\d\d", digits):
        return True  # a year
    if digits and (after[:1] == ":" or before.endswith(":")):
        return True  # a time of day
    if (
        digits
        and digits.isdigit()
        and int(digits) < 120
        and re.search(r"[A-Z\u00C0-\u024F][\w'’-]+,\s*$", before)
        and re.match(r"\s*[,)]", after)
    ):
        return True  # "Olena Kravets, 68, who lives ...": an age
    word = (match.group("words") or "").lower()
    if word in {"one", "a", "an"}:
        if re.match(r"\s+(?:of|another|day|time|point|side|way|hand)\b", after, re.I):
            return True
        if re.search(r"\b(?:no|any|each|every|the)\s+$", before, re.I):
            return True
    return False


@dataclass
class _Counted:
    noun: list[_Token]
    end_index: int
    partitive: str = ""
    more: bool = False


def _read_np(tokens: list[_Token], i: int, text: str, limit: int = 6) -> tuple[list[_Token], int]:
    """A noun phrase from tokens[i]: its words, and the index after it, with
    post-modifiers that say whose people these are ("of the security forces",
    "loyal to the former president")."""
    noun: list[_Token] = []
    while i < len(tokens) and len(noun) < limit:
        tok = tokens[i]
        low = tok.lower
        if not tok.is_word:
            break
        if low in NP_STOP or low in IRREGULAR_VERBS or (low == "of" and noun):
            break
        if noun and POSTMODIFIERS.match(text, tok.start):
            break
        if low in EVENT_ADJECTIVES and not noun:
            noun.append(tok)
            i += 1
            continue
        if not noun and EVENT_AT_RE.match(text, tok.start):
            break  # "49 died in Sarun": a verb, no noun
        if noun and EVENT_AT_RE.match(text, tok.start):
            break
        if (
            tok.text[0].islower()
            and (low.endswith("ing") or low.endswith("ly"))
            and (not noun or low not in {"seeking"})
        ):
            break
        if noun and tok.text[0].islower() and low.endswith("ed") and low not in EVENT_ADJECTIVES:
            break
        noun.append(tok)
        i += 1
    while noun and i < len(tokens):
        tok = tokens[i]
        if tok.lower == "of":
            take = [tok]
            j = i + 1
        else:
            post = POSTMODIFIERS.match(text, tok.start)
            if not post:
                break
            j = i
            take = []
            while j < len(tokens) and tokens[j].end <= post.end():
                take.append(tokens[j])
                j += 1
        sub: list[_Token] = []
        while j < len(tokens) and len(sub) < 7:
            t = tokens[j]
            if not t.is_word or (t.lower in NP_STOP and t.lower not in {"the", "a", "an"}):
                if t.lower == "and" and sub and j + 1 < len(tokens) and tokens[j + 1].is_word:
                    nxt = tokens[j + 1]
                    if nxt.text[0].isupper() and not NUMBER_RE.match(text, nxt.start):
                        sub.append(t)
                        j += 1
                        continue
                break
            if EVENT_AT_RE.match(text, t.start) and t.lower not in EVENT_ADJECTIVES:
                break
            nxt_cap = j + 1 < len(tokens) and tokens[j + 1].text[:1].isupper()
            if (
                t.text[0].islower()
                and t.lower.endswith("ed")
                and t.lower != "armed"
                and not nxt_cap
            ):
                break
            if sub and POSTMODIFIERS.match(text, t.start):
                break
            sub.append(t)
            j += 1
        if not sub:
            break
        noun.extend(take + sub)
        i = j
    return noun, i


def _read_counted(tokens: list[_Token], text: str) -> _Counted:
    """The noun phrase after a number: '20 of his neighbours', 'three of them
    children', '96 of which', 'dozens more'."""
    i = 0
    partitive = ""
    more = False
    while i < len(tokens) and tokens[i].text in {'"', "“", "”", "'"}:
        i += 1
    if i < len(tokens) and tokens[i].lower == "of":
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if nxt in PARTITIVE_REFS:
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            if (
                nxt in {"them", "which", "whom"}
                or after is None
                or not after.is_word
                or (after.lower in NP_STOP or after.lower in COPULAS)
            ):
                partitive = nxt
                i += 2
        if not partitive and nxt in POSSESSIVES:
            i += 2
            noun, end = _read_np(tokens, i, text)
            if nxt in {"the", "these", "those"}:
                # "830 of the dead", "20 of the missiles": a part of a total.
                partitive = noun[-1].lower if noun else nxt
            # "two of its peacekeepers", "20 of his neighbours": whose, not which total.
            return _Counted(noun, end, partitive, more)
    while i < len(tokens) and tokens[i].lower in {"more", "other", "others"}:
        if tokens[i].lower == "more":
            more = True
            i += 1
            continue
        break
    noun, end = _read_np(tokens, i, text)
    if more and noun and noun[0].lower == "more":
        more = False
    return _Counted(noun, end, partitive, more)


@dataclass
class FigureReading:
    """A figure as read, with what the scope step needs to know about it."""

    figure: SuggestedFigure
    noun: str = ""
    verb: str = ""
    partitive: str = ""
    inclusion: bool = False
    list_item: bool = False
    # "Of these, 31,406 are sheltering": what is counted is in an earlier sentence.
    needs_antecedent: bool = False
    own_partitive: bool = False
    more: bool = False
    # The count is the object of an active verb ("troops killed four fighters").
    active: bool = False
    # It points back at a total counted earlier ("Of the dead, ...", "the victims").
    refers_back: bool = False
    # ... through a pronoun ("Two of them", "Of these"): the total just before.
    pronoun_ref: bool = False
    noun_tokens: list[_Token] = field(default_factory=list)

    def describe(self) -> None:
        """Write what is counted, and read its outcome, population and sub-groups."""
        tokens = self.noun_tokens or [_Token(w, 0, 0) for w in self.noun.split()]
        figure = self.figure
        figure.counted = _write_counted(tokens, self.verb, self.more)
        figure.outcome = outcome_of(self.noun, self.verb)
        figure.population = population_of(self.noun) if figure.outcome else None
        figure.subgroups = subgroups_of(self.noun)

    sentence: tuple[int, int] = (0, 0)
    # Where its own place or time phrases may sit.
    local: tuple[int, int] = (0, 0)


def _verb_before(text: str, left: int, pos: int) -> str:
    """'killed at least 74', 'had also summarily executed', 'the killing of':
    the event or verb whose object the number is."""
    window = text[max(left, pos - 60) : pos]
    m = EVENT_NOUN_OF_RE.search(window)
    if m:
        word = m.group("noun").lower()
        return PARTICIPLES.get(word, word)
    if re.search(
        r"\b(?:search(?:ing|ed)?|look(?:ing|ed)?|hunt(?:ing)?)\s+for\s+(?:(?:at\s+least|some|about|"
        r"around|more\s+than|another|the)\s+)?$",
        window,
        re.I,
    ):
        return "missing"  # "rescuers were searching for about 20 people"
    m = re.search(
        r"\b(?P<v>shot\s+dead|shot\s+down|shot\s+and\s+killed|hacked\s+to\s+death|burned\s+alive)\s+"
        r"(?:(?:his|her|their|its|the|at\s+least|some|about)\s+)*$",
        window,
        re.I,
    )
    if m:
        return re.sub(r"\s+", " ", m.group("v").lower())
    m = re.search(
        r"\b(?P<verb>[a-z]+)[\"”’]?\s+[\"“]?(?:(?:more\s+than|at\s+least|as\s+many\s+as|some|"
        r"about|nearly|almost|around|over|another|a\s+further|up\s+to)\s+)?$",
        window,
    )
    if not m:
        return ""
    verb = m.group("verb").lower()
    if verb in OBJECT_VERBS:
        return PARTICIPLES.get(verb, verb)
    if verb == "to":
        fire = re.search(r"\bset\s+fire\s+to\s+(?:at\s+least\s+|some\s+|about\s+)?$", window, re.I)
        if fire:
            return "set on fire"
    return ""


def _forward_event(tokens: list[_Token], text: str, start_index: int) -> str:
    """The event a figure took part in, read from the rest of its clause."""
    i = start_index
    seen = 0
    passed_verb = False
    while i < len(tokens) and seen < 14:
        tok = tokens[i]
        if not tok.is_word:
            if tok.text == "," and i + 1 < len(tokens) and tokens[i + 1].lower in _ASIDE_OPENERS:
                # "30 people, including eight children, were killed": skip the aside.
                j = i + 1
                while j < len(tokens) and tokens[j].text not in {",", ";", "."}:
                    j += 1
                if j < len(tokens) and tokens[j].text == ",":
                    i = j + 1
                    seen += 1
                    continue
            if tok.text in ",;:.!?—–()":
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
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            coordinated_verb = (
                passed_verb and nxt is not None and EVENT_AT_RE.match(text, nxt.start)
            )
            if nxt is None or not (
                coordinated_verb or re.match(r"(?:more|at|some|about|over|nearly)\b", nxt.lower)
            ):
                return ""
        found = _event_at(text, tok.start)
        if found:
            return found[0]
        if tok.lower in FINITE_VERBS or tok.lower.endswith("ed"):
            passed_verb = True
        i += 1
        seen += 1
    return ""


def _backward_outcome(text: str, left: int, pos: int) -> str:
    """'the dead included 745 civilians', 'Among the martyrs are 7 children':
    a noun or verb earlier in the clause that names what happened to them."""
    window = text[left:pos]
    m = re.search(
        r"\b(?:the\s+)?(?P<n>dead|victims|martyrs|wounded|injured|killed|those\s+killed|"
        r"fatalities|missing)\s+(?:included?|were|are|was|is)\s+(?:[\w-]+\s+){0,3}$",
        window,
        re.I,
    ) or re.search(
        r"\bamong\s+(?:the\s+|them\s+|those\s+)?(?P<n>dead|victims|martyrs|wounded|injured|missing|"
        r"killed)\b",
        window,
        re.I,
    )
    if not m:
        return ""
    word = m.group("n").lower().split()[-1]
    return {"wounded": "wounded", "injured": "injured", "missing": "missing"}.get(word, "killed")


def _write_counted(noun: list[_Token], verb: str, more: bool) -> str:
    text = " ".join(t.text for t in noun)
    if noun and noun[0].text[:1].isupper() and noun[0].lower in _LOWER_FIRST:
        text = noun[0].lower + text[len(noun[0].text) :]
    if more:
        text = f"more {text}".strip()
    lowered = {t.lower for t in noun}
    if verb and verb not in text.lower().split() and not (lowered & OUTCOME_NOUNS):
        text = f"{text} {verb}".strip()
    return text.strip()


# Sentence-initial capitals that are not names ("Eleven of the victims").
_LOWER_FIRST = words(
    """people civilians children women men soldiers fighters residents villagers families
    others bodies victims dead members"""
)


def outcome_of(noun: str, verb: str) -> str | None:
    """killed, injured, missing, detained, abducted, displaced, or None for a count
    of things or of people nothing happened to (guests, troops deployed)."""
    tokens = re.findall(r"[a-z]+", noun.lower())
    head = _head(tokens)
    if not tokens and not verb:
        return None
    if head in THING_NOUNS:
        return None
    verb_words = verb.lower().split()
    if verb_words[:2] == ["shot", "down"]:
        return None
    if len(tokens) > 1 and tokens[0] in EVENT_ADJECTIVES:
        # "65 wounded people" evacuated are still the wounded.
        return OUTCOME_WORDS.get(tokens[0])
    for word in verb_words:
        if word in OUTCOME_WORDS:
            return OUTCOME_WORDS[word]
    if verb_words and verb_words[-1] in {"burned", "burnt"}:
        # Homes are burned; people "burned" in their homes were killed.
        return "killed" if head in CIVILIANS | UNSPECIFIED | ARMED_GROUPS else None
    for word in tokens[:8]:
        if word in OUTCOME_NOUNS or word in {"bodies", "killings", "killed", "died"}:
            return OUTCOME_WORDS.get(word)
    return None


def _head(tokens: list[str]) -> str:
    chunk: list[str] = []
    for token in tokens:
        if token in {"of", "from", "in", "who", "that", "loyal", "affiliated", "linked"} and chunk:
            break
        chunk.append(token)
    while len(chunk) > 1 and (chunk[-1] in EVENT_ADJECTIVES or chunk[-1] in OUTCOME_WORDS):
        chunk.pop()
    return chunk[-1] if chunk else ""


def population_of(noun: str) -> str:
    """Who the counted people are, from the words that name them."""
    tokens = re.findall(r"[a-z]+", noun.lower())
    head = _head(tokens)
    for vocabulary, name in (
        (SECURITY_FORCES, "security_forces"),
        (ARMED_GROUPS, "armed_groups"),
        (CIVILIANS, "civilians"),
    ):
        if head in vocabulary or head.rstrip("s") in vocabulary:
            return name
    if head in UNSPECIFIED:
        return "unspecified"
    for word in tokens:
        if word in SECURITY_FORCES:
            return "security_forces"
        if word in ARMED_GROUPS:
            return "armed_groups"
        if word in CIVILIANS:
            return "civilians"
    return "unspecified"


def subgroups_of(noun: str) -> list[str]:
    tokens = re.findall(r"[a-z]+", noun.lower())
    found: list[str] = []
    for word in tokens[:3]:
        tag = SUBGROUP_WORDS.get(word) or (word if word in COMMUNITIES else None)
        if tag and tag not in found:
            found.append(tag)
    return found


def is_generic(noun: str) -> bool:
    """A noun that says nothing about who died ("the dead", "victims", "them")."""
    tokens = re.findall(r"[a-z]+", noun.lower())
    head = _head(tokens)
    return not tokens or head in UNSPECIFIED - {"people", "persons", "person", "suspects"}


def _inclusion_before(text: str, left: int, pos: int) -> bool:
    window = text[max(left, pos - 40) : pos]
    return bool(
        re.search(
            r"(?:\bincluding|\bamong\s+(?:them|whom)|\bof\s+whom)\s+(?:[\w-]+\s+){0,2}$",
            window,
            re.I,
        )
    )


def read_figures(text: str, start: int = 0, end: int | None = None) -> list[FigureReading]:
    """Every figure inside text[start:end], with offsets into `text`."""
    end = len(text) if end is None else min(end, len(text))
    found: list[FigureReading] = []
    ends = _clause_ends(text, start, end)
    skip_until = -1
    for match in NUMBER_RE.finditer(text, start, end):
        if match.start() < skip_until:
            continue
        left, right = _sentence_bounds(ends, match.start(), start, end)
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
        number_end = match.end()
        value_high = None
        rng = RANGE_AFTER.match(text, number_end)
        if rng:
            second = NUMBER_RE.match(text, rng.end())
            between = re.search(
                r"\bbetween\s+$", text[max(left, phrase_start - 10) : phrase_start], re.I
            )
            from_ = re.search(r"\bfrom\s+$", text[max(left, phrase_start - 6) : phrase_start], re.I)
            sep = rng.group("sep").lower()
            if (second and second.group("digits")) or (second and second.group("words")):
                high, _ = _value_of(second)
                if (
                    high is not None
                    and high > value
                    and ((between and sep == "and") or (sep != "and" and not from_))
                    and not UNIT_RE.match(text, second.end())
                ):
                    value_high = high
                    qualifier = "range"
                    if between:
                        phrase_start = between.start() + max(left, phrase_start - 10)
                    number_end = second.end()
                    skip_until = second.end()
        after = number_end
        if match.group("vague") or (match.group("words") or "").lower().endswith("dozen"):
            of = re.match(r"[\"”’']?\s+of\b", text[after:right])
            if of:
                after += of.end()
        tokens = _tokens(text, after, right)
        counted = _read_counted(tokens, text)
        noun_tokens = counted.noun
        i = counted.end_index
        verb = ""
        copula = False
        # "348 were civilians", "90 were members of ...", "were among the victims".
        if (
            i < len(tokens)
            and tokens[i].lower in COPULAS
            and (not noun_tokens or counted.partitive)
        ):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            found_event = _event_at(text, nxt.start) if nxt else None
            if found_event:
                verb = found_event[0]
            elif nxt is not None and nxt.is_word and nxt.lower not in NP_STOP | {"being"}:
                np, j = _read_np(tokens, i + 1, text)
                if np:
                    noun_tokens, i, copula = np, j, True
        local_end = right
        for later in NUMBER_RE.finditer(text, after, right):
            if not _is_excluded(text, later, left):
                local_end = later.start()
                break
        before_verb = _verb_before(text, left, phrase_start)
        if (
            not verb
            and before_verb
            and (before_verb.split()[0] in OUTCOME_WORDS or before_verb in {"shot dead"})
        ):
            # "has killed 7,142 civilians since it seized power": the verb of the count.
            verb = before_verb
        lone_event = len(noun_tokens) == 1 and noun_tokens[0].lower in EVENT_ADJECTIVES
        if (
            not verb
            and not lone_event
            and not (noun_tokens and noun_tokens[-1].lower in OUTCOME_NOUNS)
        ):
            verb = _forward_event(tokens, text, i if noun_tokens else 0)
        if not verb and before_verb:
            verb = before_verb
        active = bool(before_verb) and before_verb == verb
        back = _backward_outcome(text, left, phrase_start)
        if not verb and back:
            verb = back
        fronted = FRONTED_PARTITIVE.match(text, left, phrase_start)
        partitive = counted.partitive
        previous_here = next(
            (r for r in reversed(found) if r.sentence[0] == left and r.partitive), None
        )
        if copula and not verb and not partitive and previous_here is not None:
            # "38 of the dead were civilians ... and 19 were fighters": the same dead.
            partitive, verb = previous_here.partitive, previous_here.verb
        if fronted and not partitive:
            partitive = (fronted.group("head") or fronted.group("det") or "them").lower()
            if fronted.group("pron"):
                partitive = "them"
        if not verb and partitive:
            verb = back or {"dead": "killed", "victims": "killed", "martyrs": "killed"}.get(
                partitive, ""
            )
        list_item = False
        needs_antecedent = False
        definite_subject = False
        noun = " ".join(t.text for t in noun_tokens)
        previous = found[-1] if found and found[-1].sentence[0] == left else None
        between = text[previous.figure.end : phrase_start] if previous else ""
        clause_break = re.search(r"\b(?:that|said|says|who|which|while|but)\b|[;:]", between)
        if (
            previous
            and len(noun_tokens) == 1
            and noun_tokens[0].lower in EVENT_ADJECTIVES
            and re.search(r"\band\s+$", between)
            and not clause_break
            and previous.noun
            and not (set(previous.noun.lower().split()) & (OUTCOME_NOUNS | EVENT_ADJECTIVES))
        ):
            # "213 members ... have been killed and 317 wounded": the same people.
            verb = noun_tokens[0].lower
            noun_tokens = []
            noun = previous.noun
            list_item = True
        elif not noun_tokens:
            nxt = tokens[i].lower if i < len(tokens) else ""
            toll = TOLL_BEFORE.search(text, max(left, phrase_start - 220), phrase_start)
            number_of = NUMBER_OF_BEFORE.search(
                text, max(left, phrase_start - 160), phrase_start
            ) or PUT_NUMBER_OF.search(text, max(left, phrase_start - 120), phrase_start)
            inclusion_here = _inclusion_before(text, left, phrase_start)
            subject = SUBJECT_NOUN_RE.search(text, left, phrase_start)
            bracketed = text[max(left, phrase_start - 1) : phrase_start] == "("
            if bracketed and subject:
                noun = subject.group("n").lower()
                list_item = True
                definite_subject = True
            elif number_of:
                noun = number_of.group("np").strip()
            elif toll:
                noun = "dead"
            elif counted.more and verb:
                noun = ""
            elif partitive in PARTITIVE_REFS and counted.partitive and not previous:
                # "pursued the attackers and neutralised 13 of them"
                antecedent = re.findall(r"\bthe\s+([a-z]+s)\b", text[left:phrase_start])
                noun = antecedent[-1] if antecedent else ""
                needs_antecedent = not noun
            elif (
                previous
                and not clause_break
                and (
                    partitive in PARTITIVE_REFS
                    or inclusion_here
                    or nxt in {"in", "(", ",", ")", "and", "", ".", "across", "from", "at", "on"}
                    or before_verb
                    or re.search(r"\b(?:and|from)\s+(?:[\w-]+\s+){0,2}$", between)
                )
            ):
                target = previous
                if inclusion_here or partitive in PARTITIVE_REFS:
                    for other in reversed(found):
                        if other.sentence[0] == left and not other.inclusion:
                            target = other
                            break
                noun, verb = target.noun, verb or target.verb
                needs_antecedent = target.needs_antecedent
                list_item = not (inclusion_here or partitive in PARTITIVE_REFS)
            else:
                subject = SUBJECT_NOUN_RE.search(text, left, phrase_start)
                if partitive and partitive not in PARTITIVE_REFS:
                    # "Of those killed, 49 died ...": the dead.
                    noun = "dead" if partitive in {"killed", "died"} else partitive
                elif subject and nxt in {"in", ")", ",", "", ".", "were", "are"}:
                    noun = subject.group("n").lower()
                    list_item = True
                elif partitive in PARTITIVE_REFS:
                    needs_antecedent = True
                elif verb in {"killed", "died"}:
                    noun = "dead"
        if partitive in PARTITIVE_REFS and not verb and (fronted or counted.partitive):
            needs_antecedent = True
        if not noun and not (counted.more and verb) and not needs_antecedent:
            continue
        inclusion = _inclusion_before(text, left, phrase_start) or (
            counted.partitive in {"them", "which", "whom"} and previous is not None
        )
        if not inclusion and found and found[-1].inclusion and found[-1].sentence[0] == left:
            between_text = text[found[-1].figure.end : phrase_start]
            if re.fullmatch(r"[\w\s'’-]*?(?:,|\band\b|,\s*and\b)\s*", between_text):
                inclusion = True
        figure = SuggestedFigure(
            value=value,
            qualifier=qualifier,
            counted="",
            start=phrase_start,
            end=number_end,
            text=text[phrase_start:number_end],
            value_high=value_high,
        )
        found.append(
            FigureReading(
                figure=figure,
                noun=noun,
                verb=verb,
                partitive=partitive,
                own_partitive=bool(counted.partitive),
                inclusion=inclusion,
                needs_antecedent=needs_antecedent,
                more=counted.more,
                active=active,
                refers_back=bool(
                    needs_antecedent
                    or (partitive and partitive not in PARTITIVE_REFS)
                    or (fronted is not None)
                    or definite_subject
                    or re.search(r"\bthe\s+$", text[max(left, phrase_start - 5) : phrase_start])
                ),
                pronoun_ref=partitive in PARTITIVE_REFS or bool(fronted and fronted.group("pron")),
                noun_tokens=noun_tokens if noun == " ".join(t.text for t in noun_tokens) else [],
                list_item=list_item,
                sentence=(left, right),
                local=(phrase_start, local_end),
            )
        )
    _link_parts(found)
    return found


_VERB_OF_OUTCOME = {
    "killed": "killed",
    "injured": "wounded",
    "missing": "missing",
    "detained": "detained",
    "abducted": "abducted",
    "displaced": "displaced",
}


def _link_parts(readings: list[FigureReading]) -> None:
    """`part_of`: 'including 745 civilians', 'three of them children', '96 of which',
    '20 of the missiles' point at the total they are part of."""
    for index, reading in enumerate(readings):
        if index == 0:
            continue
        target = None
        if reading.own_partitive and reading.partitive not in PARTITIVE_REFS:
            for j in range(index - 1, -1, -1):
                other = readings[j]
                if other.inclusion:
                    continue
                head = _head(re.findall(r"[a-z]+", other.noun.lower()))
                if head and head.rstrip("s") == reading.partitive.rstrip("s"):
                    target = j
                    break
        elif reading.inclusion:
            for j in range(index - 1, -1, -1):
                if not readings[j].inclusion and not readings[j].list_item:
                    target = j
                    break
        if target is not None:
            reading.figure.part_of = target
            reading.inclusion = True
            if not reading.verb:
                reading.verb = readings[target].verb or _VERB_OF_OUTCOME.get(
                    outcome_of(readings[target].noun, "") or "", ""
                )
    for reading in readings:
        reading.describe()


def extract_figures(text: str, start: int = 0, end: int | None = None) -> list[SuggestedFigure]:
    """Every figure inside text[start:end], with offsets into `text`, what it
    counts, its outcome, population and sub-groups, and which figure it is a
    part of; place, time and basis need the article (see scope.py)."""
    return [reading.figure for reading in read_figures(text, start, end)]
