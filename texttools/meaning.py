"""What a statement is about, beyond its words: event frames for matching
claims across outlets. Pure: no Django.

Two reports of one event rarely share their words ("armed men took her
husband and sons from their house ... found their bodies" and "men were led
out of their homes and shot dead"). Word overlap scores such paraphrases near
zero. A frame reads a claim into *concepts* from a curated lexicon of
paraphrase classes of conflict reporting (who did what to whom, where):

- actions: killing, attacking, fighting, capturing, holding, abducting, ...;
- participants: civilians, families, state forces, armed groups, combatants,
  a military target;
- anchors: the objects and places an event happens at (a school, a hospital,
  homes, a place of the workspace's gazetteer) and the named parties;
- what is *denied* or contrasted ("denied that its units had carried out
  executions", "despite the ministry's announcement that its operation had
  ended", "inflating civilian casualties"), kept apart from what is asserted;
- who the dead *mostly* were ("most of the dead were women and children").

Frames are compared concept by concept (a weighted overlap), and character
n-gram TF-IDF (3-5 grams, which match "killings"/"killed", "Banias"/"Baniyas")
measures how close the wording is. The matcher (matching.rules) decides a
relation from both.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# --- the lexicon ----------------------------------------------------------------------------
# Each phrase carries one or more concept tags. Phrases are matched on lower-case
# words, longest first; a trailing "*" matches any ending ("kill*": kill, killed,
# killing, killings, killers).

ACTIONS = frozenset(
    {
        "KILL",
        "INJURE",
        "CASUALTY",
        "ATTACK",
        "FIGHT",
        "CAPTURE",
        "HOLD",
        "END",
        "ONGOING",
        "ABDUCT",
        "DEPLOY",
        "ENTER",
        "INVESTIGATE",
        "CONDEMN",
        "WAR_CRIME",
        "AID",
        "REVISE",
        "DISPLACE",
        "SHORTAGE",
        "GATHER",
        "COLLECT",
    }
)
PARTICIPANTS = frozenset(
    {"CIVILIAN", "FAMILY", "STATE", "ARMED", "COMBATANT", "MILITARY", "FACTION", "PERPETRATOR"}
)
ANCHORS = frozenset(
    {
        "SCHOOL",
        "HOSPITAL",
        "HOME",
        "MORGUE",
        "AIRPORT",
        "BUS",
        "MARKET",
        "CHECKPOINT",
        "WORSHIP",
        "CAMP",
        "SHELTER",
        "VILLAGE",
        "BORDER",
        "STREET",
    }
)
# Concepts whose denial is what a denial is about (an action is usually the
# event both sides take for granted: "denied that its units took part in the
# killings" denies who, not that people were killed).
DENIABLE = (PARTICIPANTS - {"PERPETRATOR"}) | {
    "CAPTURE",
    "HOLD",
    "END",
    "ONGOING",
    "FIGHT",
    "FIGURES",
    "HARM",
    "WAR_CRIME",
    "GATHER",
    "DEPLOY",
}
# Pairs of concepts that cannot both hold of one event.
CONTRARY = (("END", "ONGOING"), ("CAPTURE", "HOLD"))


LEXICON: dict[str, tuple[str, ...]] = {
    # killing and harm
    "kill*": ("KILL", "CASUALTY"),
    "killers": ("KILL", "PERPETRATOR"),
    "dead": ("KILL", "CASUALTY"),
    "death*": ("KILL", "CASUALTY"),
    "died": ("KILL", "CASUALTY"),
    "die": ("KILL", "CASUALTY"),
    "shot dead": ("KILL", "CASUALTY", "ATTACK"),
    "execut*": ("KILL", "CASUALTY"),
    "massacre*": ("KILL", "CASUALTY", "ATTACK"),
    "slain": ("KILL", "CASUALTY"),
    "bodies": ("KILL", "CASUALTY"),
    "body": ("KILL", "CASUALTY"),
    "lost their lives": ("KILL", "CASUALTY"),
    "murder*": ("KILL", "CASUALTY"),
    "toll": ("KILL", "CASUALTY", "FIGURES"),
    "casualt*": ("CASUALTY",),
    "victims": ("CASUALTY",),
    "harmed": ("HARM", "CASUALTY"),
    "harm": ("HARM", "CASUALTY"),
    "wounded": ("INJURE", "CASUALTY"),
    "injur*": ("INJURE", "CASUALTY"),
    "hurt": ("INJURE", "CASUALTY"),
    "abuses": ("HARM",),
    "atrocit*": ("HARM", "WAR_CRIME"),
    # attacks
    "attack*": ("ATTACK",),
    "strike": ("ATTACK",),
    "strikes": ("ATTACK",),
    "striking": ("ATTACK",),
    "struck": ("ATTACK",),
    "air strike*": ("ATTACK",),
    "airstrike*": ("ATTACK",),
    "aerial attack*": ("ATTACK",),
    "bomb*": ("ATTACK",),
    "shell": ("ATTACK",),
    "shells": ("ATTACK",),
    "shelling": ("ATTACK",),
    "missile*": ("ATTACK",),
    "drone*": ("ATTACK",),
    "munitions": ("ATTACK",),
    "raid*": ("ATTACK",),
    "hit": ("ATTACK",),
    "targeted": ("ATTACK",),
    "targeting": ("ATTACK",),
    "shot": ("ATTACK",),
    "shooting": ("ATTACK",),
    "fired": ("ATTACK",),
    "gunfire": ("ATTACK",),
    # fighting and its state
    "fighting": ("FIGHT", "MILITARY"),
    "fight": ("FIGHT", "MILITARY"),
    "clash*": ("FIGHT", "MILITARY"),
    "combat": ("FIGHT", "MILITARY"),
    "battle*": ("FIGHT", "MILITARY"),
    "offensive": ("FIGHT", "MILITARY"),
    "military operation*": ("FIGHT", "MILITARY"),
    "operation": ("FIGHT",),
    "hostilities": ("FIGHT", "MILITARY"),
    "ended": ("END",),
    "end of": ("END",),
    "has ended": ("END",),
    "had ended": ("END",),
    "is over": ("END",),
    "concluded": ("END",),
    "objectives had been achieved": ("END",),
    "restored": ("END",),
    "still under way": ("ONGOING",),
    "under way": ("ONGOING",),
    "still": ("ONGOING",),
    "continu*": ("ONGOING",),
    "ongoing": ("ONGOING",),
    "persist*": ("ONGOING",),
    "holding out": ("ONGOING", "HOLD"),
    "captur*": ("CAPTURE",),
    "seized the city": ("CAPTURE",),
    "taken the city": ("CAPTURE",),
    "has been taken": ("CAPTURE",),
    "took control": ("CAPTURE",),
    "taken control": ("CAPTURE",),
    "liberated": ("CAPTURE",),
    "overran": ("CAPTURE",),
    "fell": ("CAPTURE",),
    "held the": ("HOLD",),
    "holds": ("HOLD",),
    "still held": ("HOLD",),
    "in control": ("HOLD",),
    # people taken
    "taken from": ("ABDUCT",),
    "had taken": ("ABDUCT",),
    "took": ("ABDUCT",),
    "led out": ("ABDUCT",),
    "dragged": ("ABDUCT",),
    "abduct*": ("ABDUCT",),
    "kidnap*": ("ABDUCT",),
    "detained": ("ABDUCT",),
    "arrested": ("ABDUCT",),
    "sending": ("DEPLOY",),
    "sent": ("DEPLOY",),
    "deployed": ("DEPLOY",),
    "fight alongside": ("DEPLOY", "FIGHT"),
    "entered": ("ENTER",),
    "gathering": ("GATHER", "MILITARY"),
    "meeting": ("GATHER", "MILITARY"),
    "collected": ("COLLECT",),
    # aftermath
    "investigat*": ("INVESTIGATE",),
    "inquiry": ("INVESTIGATE",),
    "prosecut*": ("INVESTIGATE",),
    "held to account": ("INVESTIGATE",),
    "accountab*": ("INVESTIGATE",),
    "condemn*": ("CONDEMN",),
    "horrif*": ("CONDEMN",),
    "war crime*": ("WAR_CRIME", "CONDEMN"),
    "crimes against humanity": ("WAR_CRIME", "CONDEMN"),
    "deliberate attack": ("WAR_CRIME", "ATTACK"),
    "aid": ("AID",),
    "lorries": ("AID",),
    "blockade": ("AID",),
    "deliveries": ("AID",),
    "fuel": ("SHORTAGE",),
    "shutting down": ("SHORTAGE",),
    "revised": ("REVISE", "FIGURES"),
    "lowered": ("REVISE", "FIGURES"),
    "corrected": ("REVISE", "FIGURES"),
    "duplicate*": ("REVISE", "FIGURES"),
    "counted twice": ("REVISE", "FIGURES"),
    "recorded twice": ("REVISE", "FIGURES"),
    "displaced": ("DISPLACE",),
    "fled": ("DISPLACE",),
    # what is counted and claimed
    "figure": ("FIGURES",),
    "figures": ("FIGURES",),
    "count": ("FIGURES",),
    "numbers": ("FIGURES",),
    "casualty figures": ("FIGURES", "CASUALTY"),
    # who
    "civilian*": ("CIVILIAN",),
    "villagers": ("CIVILIAN",),
    "residents": ("CIVILIAN",),
    "women": ("CIVILIAN",),
    "children": ("CIVILIAN",),
    "schoolchildren": ("CIVILIAN", "SCHOOL"),
    "students": ("CIVILIAN",),
    "neighbours": ("CIVILIAN",),
    "passengers": ("CIVILIAN",),
    "families": ("CIVILIAN", "FAMILY"),
    "family": ("CIVILIAN", "FAMILY"),
    "households": ("CIVILIAN", "FAMILY", "HOME"),
    "husband": ("CIVILIAN", "FAMILY"),
    "sons": ("FAMILY",),
    "relatives": ("FAMILY",),
    "newborn*": ("CIVILIAN",),
    "babies": ("CIVILIAN",),
    "security forces": ("STATE", "COMBATANT"),
    "security personnel": ("STATE", "COMBATANT"),
    "government forces": ("STATE", "COMBATANT"),
    "government units": ("STATE", "COMBATANT"),
    "units": ("STATE",),
    "its forces": ("STATE",),
    "army": ("STATE", "COMBATANT", "MILITARY"),
    "air force": ("STATE", "MILITARY"),
    "soldiers": ("STATE", "COMBATANT", "MILITARY"),
    "troops": ("STATE", "COMBATANT", "MILITARY"),
    "military personnel": ("STATE", "COMBATANT", "MILITARY"),
    "servicemen": ("STATE", "COMBATANT", "MILITARY"),
    "commanders": ("COMBATANT", "MILITARY"),
    "police": ("STATE",),
    "military fatigues": ("STATE",),
    "aligned with the new authorities": ("STATE", "FACTION"),
    "under the command of": ("STATE", "FACTION"),
    "government-aligned": ("STATE", "FACTION"),
    "pro-government": ("STATE", "FACTION"),
    "faction*": ("FACTION",),
    "militants": ("ARMED", "COMBATANT", "MILITARY"),
    "militant": ("ARMED", "MILITARY"),
    "fighters": ("ARMED", "COMBATANT", "MILITARY"),
    "gunmen": ("ARMED", "PERPETRATOR"),
    "armed men": ("ARMED", "PERPETRATOR"),
    "rebels": ("ARMED", "COMBATANT", "MILITARY"),
    "insurgents": ("ARMED", "COMBATANT", "MILITARY"),
    "militiamen": ("ARMED", "COMBATANT", "MILITARY"),
    "mercenaries": ("ARMED", "COMBATANT", "MILITARY"),
    "terrorists": ("ARMED", "COMBATANT", "MILITARY"),
    "combatants": ("COMBATANT", "MILITARY"),
    "remnants": ("ARMED",),
    "loyalist*": ("ARMED",),
    "loyal to the former": ("ARMED",),
    "military purposes": ("MILITARY",),
    "military facilities": ("MILITARY",),
    "facilities": ("MILITARY",),
    "command centre": ("MILITARY",),
    "command and control": ("MILITARY",),
    "command posts": ("MILITARY",),
    "used militarily": ("MILITARY",),
    "perpetrators": ("PERPETRATOR",),
    "blamed": ("PERPETRATOR",),
    "responsible for": ("PERPETRATOR",),
    "those responsible": ("PERPETRATOR",),
    "carried out": ("PERPETRATOR",),
    "taken part": ("PERPETRATOR",),
    "took part": ("PERPETRATOR",),
    # where
    "school*": ("SCHOOL",),
    "classrooms": ("SCHOOL",),
    "classes": ("SCHOOL",),
    "hospital*": ("HOSPITAL",),
    "home": ("HOME",),
    "homes": ("HOME",),
    "house": ("HOME",),
    "houses": ("HOME",),
    "morgue*": ("MORGUE",),
    "airport": ("AIRPORT",),
    "bus": ("BUS",),
    "market*": ("MARKET",),
    "checkpoint*": ("CHECKPOINT",),
    "mosque*": ("WORSHIP",),
    "church*": ("WORSHIP",),
    "camp": ("CAMP",),
    "camps": ("CAMP",),
    "shelter*": ("SHELTER",),
    "village*": ("VILLAGE",),
    "border": ("BORDER",),
    "streets": ("STREET",),
    "street": ("STREET",),
    "road": ("STREET",),
}


# Words that deny or contradict what follows them in the clause (or, for the
# few marked "after", what precedes them).
NEGATIONS = (
    "denied",
    "denies",
    "deny",
    "denying",
    "rejected",
    "rejects",
    "dismissing",
    "dismissed",
    "did not",
    "do not",
    "does not",
    "didn't",
    "don't",
    "doesn't",
    "was not",
    "were not",
    "wasn't",
    "weren't",
    "had not",
    "has not",
    "not",
    "no",
    "none",
    "never",
    "nobody",
    "no one",
    "no evidence",
    "no sign",
    "took no part",
    "inflating",
    "inflated",
    "exaggerat*",
    "false",
    "untrue",
    "baseless",
    "fabricat*",
    "a lie",
    "despite",
)
# Which negations reach back to the start of their clause ("the figures ... did
# not match"); the others cover what follows.
NEGATIONS_OVER_CLAUSE = frozenset(
    {"did not", "do not", "does not", "didn't", "don't", "doesn't", "was not", "were not"}
    | {"wasn't", "weren't", "had not", "has not", "not", "false", "untrue", "a lie"}
)
# "no civilians", "none of its fighters", "never": a determiner negates the few
# words after it, not the rest of the clause ("where no fighting was under way
# could amount to a war crime" does not deny the war crime).
NEGATIONS_SHORT = frozenset({"no", "none", "nobody", "no one", "never"})
SHORT_REACH = 45  # characters, about six words
# ... and not past a modal verb: "where no fighting was under way | could amount to".
_MODAL = re.compile(r"\b(?:could|would|might|may|must|should|will|can)\b")
# "denied the military's claim that X": what is denied is X, not who claimed it.
_CLAIM_CONTENT = re.compile(
    r"\b(?:claims?|accusations?|allegations?|reports?|account)\s+(?:that|to|of)\b"
)
PREDOMINANT = ("most", "mostly", "majority", "the bulk", "all of", "predominantly")
# Clause boundaries for the reach of a negation.
_CLAUSE_END = re.compile(
    r"[;:.!?]|,\s*(?:saying|adding|and|but|while|although|as|dismissing|denying|rejecting)\b"
    r"|\b(?:but|while|whereas)\b|\band that\b|,\s*(?=[a-z]+\s+(?:said|says))"
)


DEMONYMS = {
    "russian": "russia",
    "ukrainian": "ukraine",
    "rwandan": "rwanda",
    "congolese": "congo",
    "israeli": "israel",
    "palestinian": "palestine",
    "syrian": "syria",
    "sudanese": "sudan",
    "myanmar's": "myanmar",
    "burmese": "myanmar",
    "american": "united states",
    "iranian": "iran",
    "turkish": "turkey",
    "lebanese": "lebanon",
    "iraqi": "iraq",
    "yemeni": "yemen",
    "afghan": "afghanistan",
    "malian": "mali",
    "nigerian": "nigeria",
    "ethiopian": "ethiopia",
    "somali": "somalia",
    "libyan": "libya",
    "burkinabe": "burkina faso",
    "kurdish": "kurds",
    "alawite": "alawites",
    "south african": "south africa",
}
# Capitalised words that name no party: they start sentences, months, titles.
_NOT_ENTITIES = frozenset(
    {
        *("the", "a", "an", "in", "on", "at", "of", "and", "but", "it", "its", "they", "he"),
        *("she", "we", "this", "that", "these", "those", "there", "some", "many", "most"),
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "un", "united", "nations"),
        *("ministry", "government", "office", "military", "president", "minister"),
        *("spokesman", "spokesperson", "committee", "council", "authorities", "agency"),
        *("human", "rights", "high", "commissioner", "international", "red", "cross"),
        *("health", "defence", "defense", "interior", "force", "forces", "city", "state"),
        *("national", "regional", "administration", "head", "director", "group", "network"),
        *("observatory", "for", "according", "said", "says", "after", "before", "since"),
        *("province", "region", "district", "town", "village", "general", "secretary"),
    }
)


_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def _norm(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = phrase.split()
    parts = []
    for word in words:
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[a-z'-]*")
        else:
            parts.append(re.escape(word))
    return re.compile(r"(?<![a-z0-9'-])" + r"\s+".join(parts) + r"(?![a-z0-9-])")


_LEXICON_PATTERNS = sorted(
    ((phrase, _phrase_pattern(phrase), tags) for phrase, tags in LEXICON.items()),
    key=lambda item: (-len(item[0].replace("*", "")), item[0]),
)
_NEGATION_PATTERNS = [(n, _phrase_pattern(n)) for n in NEGATIONS]
_PREDOMINANT_PATTERNS = [_phrase_pattern(p) for p in PREDOMINANT]


@dataclass(frozen=True)
class Frame:
    """A claim read as concepts: what it asserts, what it denies, where."""

    asserted: frozenset[str]
    denied: frozenset[str]
    places: frozenset[int] = frozenset()
    entities: frozenset[str] = frozenset()
    predominant: frozenset[str] = frozenset()  # who the dead mostly were
    matched: tuple[str, ...] = ()

    @property
    def concepts(self) -> frozenset[str]:
        return self.asserted | self.denied

    @property
    def negated(self) -> bool:
        return bool(self.denied)

    @property
    def actions(self) -> frozenset[str]:
        return self.concepts & ACTIONS


def _spans(text: str, patterns) -> list[tuple[int, int, str, tuple[str, ...]]]:
    taken: list[tuple[int, int]] = []
    found = []
    for phrase, pattern, tags in patterns:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            found.append((s, e, phrase, tags))
    return sorted(found)


def _clauses(text: str) -> list[tuple[int, int]]:
    bounds = [0]
    for m in _CLAUSE_END.finditer(text):
        bounds.append(m.start())
        bounds.append(m.end())
    bounds.append(len(text))
    clauses = []
    for i in range(0, len(bounds) - 1, 2):
        if bounds[i + 1] > bounds[i]:
            clauses.append((bounds[i], bounds[i + 1]))
    return clauses


def _negated_ranges(text: str) -> list[tuple[int, int]]:
    """The stretches of text a negation covers: from the cue to the end of its
    clause, or the whole clause for a verb's negation ("figures ... did not match")."""
    clauses = _clauses(text)
    ranges = []
    taken: list[tuple[int, int]] = []
    for cue, pattern in sorted(_NEGATION_PATTERNS, key=lambda c: -len(c[0])):
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            clause = next(((cs, ce) for cs, ce in clauses if cs <= s < ce), (s, len(text)))
            start = clause[0] if cue in NEGATIONS_OVER_CLAUSE else s
            end = clause[1]
            if cue in NEGATIONS_SHORT:
                end = min(end, e + SHORT_REACH)
                modal = _MODAL.search(text, e, end)
                if modal is not None:
                    end = modal.start()
            content = _CLAIM_CONTENT.search(text, start, end)
            if content is not None:
                start = content.end()
            ranges.append((start, end))
    return ranges


def _entities(raw: str) -> set[str]:
    """Named parties: capitalised words inside sentences, and countries (by
    name or demonym: "Russian missiles", "Russia's defence ministry")."""
    found: set[str] = set()
    lowered = raw.lower()
    for name, country in {**DEMONYMS, **{c: c for c in set(DEMONYMS.values())}}.items():
        if re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", lowered):
            found.add(country)
    for m in re.finditer(r"(?<=[a-z,;] )([A-Z][A-Za-z0-9-]+)", raw):
        word = m.group(1).lower().removesuffix("'s")
        if word not in _NOT_ENTITIES and word not in DEMONYMS and len(word) > 1:
            found.add(DEMONYMS.get(word, word))
    for m in re.finditer(r"\b([A-Z]{2,}[0-9]*)\b", raw):
        found.add(m.group(1).lower())
    return found


def read_frame(
    text: str,
    *,
    places: Mapping[str, int] | None = None,
    parents: Mapping[int, int | None] | None = None,
    extra_places: Iterable[int] = (),
) -> Frame:
    """Read a claim's text (statement and quote) into a frame. `places` maps
    normalised gazetteer names (alternative spellings too) to place ids."""
    raw = _norm(text)
    lowered = raw.lower()
    spans = _spans(lowered, _LEXICON_PATTERNS)
    negated = _negated_ranges(lowered)
    asserted: set[str] = set()
    denied: set[str] = set()
    matched = []
    for s, _e, phrase, tags in spans:
        in_denial = any(ns <= s < ne for ns, ne in negated)
        for tag in tags:
            if in_denial and tag in DENIABLE:
                denied.add(tag)
            else:
                asserted.add(tag)
        matched.append(phrase)
    predominant: set[str] = set()
    for pattern in _PREDOMINANT_PATTERNS:
        for m in pattern.finditer(lowered):
            # "most of the dead were women", "mostly those of soldiers": who the
            # dead were, named within a few words of the cue.
            near = [t for s, _e, _p, t in spans if m.start() - 40 <= s < m.end() + 70]
            if not any("CASUALTY" in tags for tags in near):
                continue
            for _s, _e, _p, tags in [x for x in spans if m.end() <= x[0] < m.end() + 70]:
                if "CIVILIAN" in tags:
                    predominant.add("CIVILIAN")
                    break
                if "COMBATANT" in tags:
                    predominant.add("COMBATANT")
                    break
    found_places: set[int] = set(extra_places)
    place_words: set[str] = set()
    if places:
        taken: list[tuple[int, int]] = []
        for name in sorted(places, key=lambda n: -len(n)):
            if not name:
                continue
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", lowered):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append(m.span())
                found_places.add(places[name])
                place_words.update(name.split())
    return Frame(
        asserted=frozenset(asserted),
        denied=frozenset(denied),
        places=frozenset(found_places),
        entities=frozenset(_entities(raw) - place_words),
        predominant=frozenset(predominant),
        matched=tuple(matched),
    )


# --- comparing frames -------------------------------------------------------------------


def _with_ancestors(places: Iterable[int], parents: Mapping[int, int | None]) -> set[int]:
    found = set()
    for place in places:
        seen = 0
        while place is not None and seen < 20:
            found.add(place)
            place = parents.get(place)
            seen += 1
    return found


def place_overlap(a: Frame, b: Frame, parents: Mapping[int, int | None], depth_of) -> bool:
    """Do the frames name the same place, or one inside the other below the
    top two levels (a district in a district, not two towns of one country)?"""
    if a.places & b.places:
        return True
    for x in a.places:
        for y in b.places:
            if x in _with_ancestors([y], parents) and depth_of(x) >= 2:
                return True
            if y in _with_ancestors([x], parents) and depth_of(y) >= 2:
                return True
    return False


def concept_overlap(a: Frame, b: Frame) -> float:
    """Weighted overlap of the concepts (anchors and participants count more)."""

    def weight(tag: str) -> float:
        if tag in ANCHORS:
            return 1.5
        if tag in PARTICIPANTS:
            return 1.2
        return 1.0

    union = a.concepts | b.concepts
    if not union:
        return 0.0
    shared = a.concepts & b.concepts
    return sum(weight(t) for t in shared) / sum(weight(t) for t in union)


# --- character n-gram TF-IDF --------------------------------------------------------------


def char_ngrams(text: str, sizes: Sequence[int] = (3, 4, 5)) -> Counter[str]:
    words = _WORD.findall(_norm(text).lower())
    padded = " " + " ".join(words) + " "
    grams: Counter[str] = Counter()
    for n in sizes:
        for i in range(len(padded) - n + 1):
            gram = padded[i : i + n]
            if gram.strip():
                grams[gram] += 1
    return grams


@dataclass
class NgramIndex:
    """Character n-gram TF-IDF over a small set of documents (a claim and its
    candidates): cosine similarity of sublinear-tf, idf-weighted vectors."""

    documents: dict[int, Counter[str]] = field(default_factory=dict)
    _idf: dict[str, float] = field(default_factory=dict)
    _vectors: dict[int, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def build(cls, texts: Mapping[int, str]) -> NgramIndex:
        index = cls({key: char_ngrams(text) for key, text in texts.items()})
        df: Counter[str] = Counter()
        for grams in index.documents.values():
            df.update(grams.keys())
        n = len(index.documents)
        index._idf = {g: math.log((1 + n) / (1 + c)) + 1 for g, c in df.items()}
        for key, grams in index.documents.items():
            vector = {g: (1 + math.log(c)) * index._idf[g] for g, c in grams.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            index._vectors[key] = {g: v / norm for g, v in vector.items()}
        return index

    def cosine(self, a: int, b: int) -> float:
        va, vb = self._vectors.get(a, {}), self._vectors.get(b, {})
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(v * vb.get(g, 0.0) for g, v in va.items())
