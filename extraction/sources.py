"""Known sources, compiled once into one matcher.

`SourceMatcher(sources)` indexes every name, alias, acronym, description and
affiliated person of a workspace's sources in hash tables keyed by normalised
tokens, so finding every mention in an article is one pass over its words
(each word looks up the few form lengths that start with it) however many
sources there are, and resolving a speaker phrase is a handful of lookups.
Build it once per set of sources and reuse it across articles: the app can
cache one per workspace and pass it to `suggest_claims` instead of the list.

What resolves a phrase to a source, strongest first:
- its name or an alias, exactly (acronyms only in capitals: "WHO" is not "who");
- a name or alias inside a longer phrase ("the Britain-based Syrian Observatory
  for Human Rights"), not after a preposition ("a diplomat in Kinshasa");
- a person who speaks for it, by full name, surname or given name alone;
- one of its descriptions, loosely: the phrase's words are all words of the
  description ("the rights observatory" / "Haitian rights observatory") or the
  phrase contains the whole description;
- the telling words of its names ("the Observatory");
- a misspelling: an acronym one letter off ("SHOR" for "SOHR"), a name
  nearly the same ("Syrian Observatory of Human Rights"), a surname one letter
  off ("Dankanno" for "Dankano"), each only when exactly one source fits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .results import KnownSource

_WORD_RE = re.compile(r"\w+")
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "its",
        "his",
        "her",
        "their",
        "our",
        "some",
        "several",
        "many",
        "other",
        "another",
        "both",
        "each",
        "every",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
    ]
)
PREPOSITIONS = frozenset(
    [
        "in",
        "at",
        "from",
        "near",
        "outside",
        "inside",
        "to",
        "of",
        "for",
        "with",
        "by",
        "around",
        "on",
        "across",
        "into",
        "over",
        "under",
        "during",
        "since",
        "after",
        "before",
        "between",
        "through",
        "within",
        "among",
        "along",
        "toward",
        "towards",
    ]
)
# Words a form may share with other sources without saying which one is meant.
GENERIC_WORDS = frozenset(
    [
        "the",
        "of",
        "for",
        "and",
        "in",
        "on",
        "at",
        "to",
        "a",
        "an",
        "human",
        "rights",
        "national",
        "international",
        "united",
        "ministry",
        "government",
        "forces",
        "force",
        "army",
        "council",
        "committee",
        "group",
        "agency",
        "office",
        "department",
        "news",
        "foreign",
        "health",
        "interior",
        "defence",
        "defense",
        "state",
        "states",
        "people",
        "people's",
        "general",
        "organization",
        "organisation",
        "commission",
        "network",
        "service",
        "services",
        "project",
        "data",
        "police",
        "military",
        "authorities",
        "authority",
        "administration",
        "presidency",
        "mission",
        "office",
    ]
)
NAME_PARTICLES = frozenset(
    ["al", "el", "bin", "ibn", "de", "del", "da", "van", "von", "la", "le", "abu", "umm"]
)
# Spellings that mean the same thing in a description ("UK-based" / "Britain-based").
_SYNONYMS = {
    "uk": "britain",
    "british": "britain",
    "england": "britain",
    "london": "britain",
    "us": "america",
    "american": "america",
    "monitoring": "monitor",
    "watchdog": "monitor",
    "organization": "organisation",
    "defense": "defence",
    "center": "centre",
    "controlling": "control",
    "controls": "control",
    "documents": "document",
    "documenting": "document",
    "tracks": "track",
    "tracking": "track",
}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def norm_token(token: str) -> str:
    return strip_accents(token).lower()


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) for each word; the 's of a possessive is dropped."""
    out: list[tuple[int, int, str]] = []
    for m in _WORD_RE.finditer(text):
        s = m.start()
        if m.group(0) in {"s", "S"} and s > 0 and text[s - 1] in "'’":
            continue
        out.append((s, m.end(), m.group(0)))
    return out


def form_tokens(text: str) -> tuple[str, ...]:
    """Normalised words of a name, without leading determiners:
    'The Syrian Observatory' -> ('syrian', 'observatory')."""
    tokens = [norm_token(w) for _, _, w in word_spans(text)]
    while tokens and tokens[0] in _DETERMINERS:
        tokens.pop(0)
    return tuple(tokens)


def is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in form.strip()


def _stem(word: str) -> str:
    word = _SYNONYMS.get(word, word)
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    return _SYNONYMS.get(word, word)


def content_stems(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(_stem(t) for t in tokens if t not in _DETERMINERS and t not in {"of", "and"})


@dataclass(frozen=True)
class SourceMatch:
    """A known source a phrase resolved to, how, how sure, and the person who
    spoke for it when a person's name was what matched."""

    source: KnownSource
    how: str
    confidence: float
    person: str | None = None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    source: KnownSource
    how: str


class SourceMatcher:
    """Every way the known sources can be named, in hash tables built once."""

    def __init__(self, sources: Iterable[KnownSource] = ()) -> None:
        self.sources: tuple[KnownSource, ...] = tuple(sources)
        self.by_key: dict[int | str, KnownSource] = {s.key: s for s in self.sources}
        # Normalised token tuple -> [(source, how)], for names and aliases.
        self._forms: dict[tuple[str, ...], list[tuple[KnownSource, str]]] = {}
        # Acronyms, case-sensitive: ("SOHR",) -> [(source, "alias")].
        self._acronyms: dict[tuple[str, ...], list[tuple[KnownSource, str]]] = {}
        self._lengths: dict[str, set[int]] = {}
        self._acronym_lengths: dict[str, set[int]] = {}
        # People: full normalised name -> [(source, display name)]; single
        # distinctive words of their names -> the same.
        self._people: dict[tuple[str, ...], list[tuple[KnownSource, str]]] = {}
        self._person_words: dict[str, list[tuple[KnownSource, str]]] = {}
        # Descriptions: their word stems, and which descriptions hold each stem.
        self._descriptions: list[tuple[frozenset[str], tuple[str, ...], KnownSource]] = []
        self._description_postings: dict[str, set[int]] = {}
        self._word_owners: dict[str, set[int | str]] = {}
        self._forms_of: dict[int | str, set[tuple[str, ...]]] = {}
        fuzzy_names: list[str] = []
        self._fuzzy_owners: list[KnownSource] = []
        self._acronym_list: list[tuple[str, KnownSource]] = []
        for source in self.sources:
            self._add_source(source, fuzzy_names)
        self._fuzzy_names = fuzzy_names

    # -- building -----------------------------------------------------------
    def _add_form(self, form: str, source: KnownSource, how: str, fuzzy: list[str]) -> None:
        if is_acronym(form):
            key = tuple(w for _, _, w in word_spans(form))
            if key:
                self._acronyms.setdefault(key, []).append((source, how))
                self._acronym_lengths.setdefault(key[0], set()).add(len(key))
                self._acronym_list.append(("".join(key), source))
            return
        tokens = form_tokens(form)
        if not tokens or (len(tokens) == 1 and len(tokens[0]) < 3):
            return
        self._forms.setdefault(tokens, []).append((source, how))
        self._lengths.setdefault(tokens[0], set()).add(len(tokens))
        self._forms_of.setdefault(source.key, set()).add(tokens)
        for word in tokens:
            self._word_owners.setdefault(word, set()).add(source.key)
        if len(tokens) >= 2:
            fuzzy.append(" ".join(tokens))
            self._fuzzy_owners.append(source)

    def _add_source(self, source: KnownSource, fuzzy: list[str]) -> None:
        self._add_form(source.name, source, "name", fuzzy)
        for alias in source.aliases:
            self._add_form(alias, source, "alias", fuzzy)
        for person in source.people:
            tokens = form_tokens(person)
            if not tokens:
                continue
            self._people.setdefault(tokens, []).append((source, person))
            for word in tokens:
                if word not in NAME_PARTICLES and len(word) >= 3:
                    self._person_words.setdefault(word, []).append((source, person))
        for description in source.descriptions:
            tokens = form_tokens(description)
            stems = content_stems(tokens)
            if len(stems) < 2:
                continue
            index = len(self._descriptions)
            self._descriptions.append((stems, tokens, source))
            for stem in stems:
                self._description_postings.setdefault(stem, set()).add(index)

    # -- helpers ------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.sources)

    def forms_of(self, source: KnownSource) -> set[str]:
        return {" ".join(f) for f in self._forms_of.get(source.key, set())}

    def owners_of_word(self, word: str) -> set[int | str]:
        return self._word_owners.get(word, set())

    @staticmethod
    def _one(entries: list[tuple[KnownSource, str]]) -> tuple[KnownSource, str] | None:
        keys = {s.key for s, _ in entries}
        return entries[0] if len(keys) == 1 else None

    # -- scanning an article --------------------------------------------------
    def mentions(self, text: str) -> list[Mention]:
        """Every place the text names a known source, leftmost-longest, in order."""
        words = word_spans(text)
        lowered = [norm_token(w) for _, _, w in words]
        found: list[Mention] = []
        i = 0
        while i < len(words):
            best: tuple[int, KnownSource, str] | None = None
            for size in sorted(self._lengths.get(lowered[i], ()), reverse=True):
                key = tuple(lowered[i : i + size])
                entries = self._forms.get(key) if len(key) == size else None
                if entries:
                    best = (size, *entries[0])
                    break
            for size in sorted(self._acronym_lengths.get(words[i][2], ()), reverse=True):
                key = tuple(w for _, _, w in words[i : i + size])
                entries = self._acronyms.get(key) if len(key) == size else None
                if entries and (best is None or size > best[0]):
                    best = (size, *entries[0])
                    break
            if best is None:
                i += 1
                continue
            size, source, how = best
            found.append(Mention(words[i][0], words[i + size - 1][1], source, how))
            i += size
        return found

    # -- resolving a phrase -------------------------------------------------
    def exact(self, phrase: str) -> SourceMatch | None:
        acronym = tuple(w for _, _, w in word_spans(phrase.strip()))
        if acronym and is_acronym(" ".join(acronym).replace(" ", "")):
            hit = self._one(self._acronyms.get(acronym, []))
            if hit:
                return SourceMatch(hit[0], "alias", 0.95)
        tokens = form_tokens(phrase)
        hit = self._one(self._forms.get(tokens, [])) if tokens else None
        if hit:
            return SourceMatch(hit[0], hit[1], 0.97 if hit[1] == "name" else 0.93)
        return None

    def contained(self, phrase: str) -> SourceMatch | None:
        """The longest known name or alias inside a longer phrase, not after a
        preposition; a lone generic word ("ministry") only when nothing in the
        phrase says it is somebody else's."""
        words = word_spans(phrase)
        lowered = [norm_token(w) for _, _, w in words]
        best: tuple[int, KnownSource, str] | None = None
        for i in range(len(words)):
            if i > 0 and lowered[i - 1] in PREPOSITIONS:
                continue
            for size in self._lengths.get(lowered[i], ()):
                key = tuple(lowered[i : i + size])
                hit = self._one(self._forms.get(key, [])) if len(key) == size else None
                if hit and (best is None or size > best[0]):
                    best = (size, *hit)
            for size in self._acronym_lengths.get(words[i][2], ()):
                key = tuple(w for _, _, w in words[i : i + size])
                hit = self._one(self._acronyms.get(key, [])) if len(key) == size else None
                if hit and (best is None or size > best[0]):
                    best = (size, *hit)
        if best is None:
            return None
        size, source, how = best
        if size == 1 and self._generic_single(best, lowered):
            return None
        return SourceMatch(source, how, 0.85)

    def _generic_single(self, best: tuple[int, KnownSource, str], lowered: list[str]) -> bool:
        """'Germany's foreign ministry' holds the alias 'ministry' of another
        source: a single generic word does not outweigh a telling one."""
        _, source, _ = best
        own = {w for form in self._forms_of.get(source.key, ()) for w in form}
        if not (own & GENERIC_WORDS):
            return False
        for word in lowered:
            if word in own or word in _DETERMINERS:
                continue
            if word in {"foreign", "regional", "local", "state", "provincial"}:
                return True
            if word[:1].isalpha() and word in _DEMONYM_WORDS:
                return True
        return False

    def person(self, phrase: str) -> SourceMatch | None:
        """A known spokesperson or director, by full name or one distinctive word."""
        tokens = tuple(t for t in form_tokens(phrase) if t not in NAME_PARTICLES)
        if not tokens:
            return None
        full = self._people.get(form_tokens(phrase))
        hit = self._one(full) if full else None
        if hit:
            return SourceMatch(hit[0], "person", 0.95, hit[1])
        candidates: dict[tuple[int | str, str], KnownSource] = {}
        for word in tokens:
            for source, person in self._person_words.get(word, []):
                person_tokens = set(form_tokens(person)) | set(NAME_PARTICLES)
                if all(
                    t in person_tokens
                    or (len(t) >= 5 and any(OSA.distance(t, p) <= 1 for p in person_tokens))
                    for t in tokens
                ):
                    candidates[(source.key, person)] = source
        if len(candidates) == 1:
            (_, person), source = next(iter(candidates.items()))
            return SourceMatch(source, "person", 0.88, person)
        return None

    def person_fuzzy(self, word: str) -> SourceMatch | None:
        """'Dankanno' for 'Dankano': one distinctive name word one letter off."""
        low = norm_token(word)
        if len(low) < 6:
            return None
        hits = {
            (source.key, person): source
            for candidate, entries in self._person_words.items()
            if abs(len(candidate) - len(low)) <= 1 and OSA.distance(candidate, low) <= 1
            for source, person in entries
        }
        if len(hits) == 1:
            (_, person), source = next(iter(hits.items()))
            return SourceMatch(source, "fuzzy", 0.7, person)
        return None

    def description(self, phrase: str) -> SourceMatch | None:
        """A description the workspace recorded, loosely: every telling word of
        the phrase is a word of one description (at least two of them), or the
        phrase contains a whole description."""
        tokens = form_tokens(phrase)
        stems = content_stems(tokens)
        if not stems:
            return None
        matched: dict[int | str, KnownSource] = {}
        if len(stems) >= 2:
            postings = [self._description_postings.get(s, set()) for s in stems]
            common = set.intersection(*postings) if postings else set()
            for index in common:
                matched[self._descriptions[index][2].key] = self._descriptions[index][2]
        if not matched:
            for index in set().union(*(self._description_postings.get(s, set()) for s in stems)):
                d_stems, _, source = self._descriptions[index]
                if d_stems <= stems:
                    matched[source.key] = source
        if len(matched) == 1:
            return SourceMatch(next(iter(matched.values())), "description", 0.8)
        return None

    def by_words(self, phrase: str) -> SourceMatch | None:
        """'the Observatory' -> Syrian Observatory for Human Rights: every word of
        the phrase belongs to one source's names, and one word to it alone."""
        content = [w for w in form_tokens(phrase) if w not in {"of", "for", "and", "the"}]
        if not content:
            return None
        owners: set[int | str] | None = None
        for word in content:
            found = self._word_owners.get(word, set())
            owners = set(found) if owners is None else owners & found
        if not owners or len(owners) != 1:
            return None
        if not any(len(self._word_owners.get(w, ())) == 1 for w in content):
            return None
        return SourceMatch(self.by_key[next(iter(owners))], "alias", 0.75)

    def fuzzy(self, phrase: str) -> SourceMatch | None:
        """A misspelt acronym or name, when exactly one known source is that close."""
        words = [w for _, _, w in word_spans(phrase)]
        while len(words) > 1 and words[0].lower() in _DETERMINERS:
            words.pop(0)
        if len(words) == 1 and is_acronym(words[0]) and len(words[0]) >= 4:
            hits = {
                source.key: source
                for acronym, source in self._acronym_list
                if len(acronym) == len(words[0]) and OSA.distance(acronym, words[0]) <= 1
            }
            if len(hits) == 1:
                return SourceMatch(next(iter(hits.values())), "fuzzy", 0.7)
            return None
        tokens = " ".join(form_tokens(phrase))
        if len(tokens.split()) < 2 or not self._fuzzy_names:
            return None
        best = process.extract(
            tokens, self._fuzzy_names, scorer=fuzz.ratio, score_cutoff=88, limit=3
        )
        keys = {self._fuzzy_owners[index].key for _, _, index in best}
        if len(keys) == 1:
            return SourceMatch(self._fuzzy_owners[best[0][2]], "fuzzy", 0.7)
        return None


# Nationality and country words: "Germany's foreign ministry" is Germany's.
_DEMONYM_WORDS = frozenset(
    [
        "syria",
        "syrian",
        "france",
        "french",
        "britain",
        "british",
        "uk",
        "germany",
        "german",
        "russia",
        "russian",
        "ukraine",
        "ukrainian",
        "sudan",
        "sudanese",
        "myanmar",
        "burmese",
        "congo",
        "congolese",
        "rwanda",
        "rwandan",
        "yemen",
        "yemeni",
        "israel",
        "israeli",
        "ethiopia",
        "ethiopian",
        "burkina",
        "burkinabe",
        "mali",
        "malian",
        "niger",
        "nigerien",
        "nigeria",
        "nigerian",
        "haiti",
        "haitian",
        "somalia",
        "somali",
        "colombia",
        "colombian",
        "turkey",
        "turkish",
        "iran",
        "iranian",
        "china",
        "chinese",
        "egypt",
        "egyptian",
        "qatar",
        "qatari",
        "saudi",
        "lebanon",
        "lebanese",
        "iraq",
        "iraqi",
        "libya",
        "libyan",
        "mozambique",
        "mozambican",
        "kenya",
        "kenyan",
        "chad",
        "chadian",
        "uganda",
        "ugandan",
        "india",
        "indian",
        "pakistan",
        "pakistani",
        "afghanistan",
        "afghan",
        "american",
        "us",
        "america",
        "palestinian",
        "jordan",
        "jordanian",
    ]
)
