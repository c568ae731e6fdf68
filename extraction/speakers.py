"""Who said it: cleaning a speaker phrase, matching it to a known source,
guessing the kind of a new one, and following "he", "it" or "the group"
back to the speaker meant."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .lexicon import (
    ACRONYM_KINDS,
    AGENT_NOUNS,
    CONTAINER_RE,
    COUNTRIES,
    DETERMINERS,
    FINITE_VERBS,
    FOREIGN_MARKERS,
    GENERIC_HEADS,
    GENERIC_NAME_WORDS,
    HEAD_KINDS,
    HONORIFICS,
    KIND_HINTS,
    LEADING_FILLERS,
    PERSON_PRONOUNS,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_NOUNS,
    ROLE_OF_RE,
    TIME_PHRASE,
    TITLE_HEADS,
    TRAILING_FILLERS,
    words,
)
from .results import KnownSource

_NUMBER_WORDS = words("one two three four five six seven eight nine ten dozen dozens")
_ADJECTIVE_PARTICIPLES = words(
    """armed based backed linked allied affiliated displaced united appointed ousted wounded
    injured detained named unnamed elected exiled retired trained concerned qualified
    organised organized masked aged led run owned respected embattled besieged"""
)
_SINGULAR_PEOPLE = words(
    """survivor woman man resident witness doctor nurse worker driver farmer student teacher
    mother father villager medic paramedic volunteer official diplomat activist relative
    neighbour neighbor shopkeeper refugee eyewitness journalist lawyer commander soldier"""
)
_ORG_UNITS = re.compile(
    r"^(?P<org>.+?)['’]s?\s+(?:(?:\w+\s+)?(?:team|spokes(?:man|woman|person)|office|"
    r"investigators|officials?|statement|report|tally|figures|data|leader|leadership|"
    r"command|chief|head|director|representatives?|channel|account|website|staff|"
    r"researchers|teams))$",
    re.IGNORECASE,
)
_HEADS_ORG = re.compile(
    r"^(?:who|which)\s+(?:heads|leads|runs|directs|commands|represents|speaks for)\s+(?P<org>.+)$",
    re.IGNORECASE,
)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalise(name: str) -> str:
    """Lower-case, accent-free, punctuation-free, without leading determiners:
    'The Syrian Observatory' and 'syrian observatory' compare equal."""
    text = strip_accents(name).lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    tokens = text.split()
    while tokens and (tokens[0] in DETERMINERS or tokens[0] in _NUMBER_WORDS):
        tokens.pop(0)
    return " ".join(tokens)


def _tokens(text: str) -> list[str]:
    return text.split()


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def is_proper_name(text: str) -> bool:
    tokens = [t.strip(".,") for t in _tokens(text)]
    return bool(tokens) and all(
        _is_capitalised(t)
        or t.lower() in {"al", "bin", "ibn", "de", "del", "van", "von", "da", "el"}
        for t in tokens
    )


def clean_phrase(raw: str) -> str:
    """Trim a raw speaker phrase down to the noun phrase that names the speaker."""
    text = raw.strip().strip("\"'“”‘’ ,;:")
    for _ in range(3):
        before = text
        text = LEADING_FILLERS.sub("", text)
        text = TIME_PHRASE.sub("", text)
        text = re.sub(
            r"^(?:in a statement|in a report|on social media|online)\b[\s,]*", "", text, flags=re.I
        )
        if text == before:
            break
    text = re.sub(r"^(?:which|that|whom|as)\s+(?=\S)", "", text, flags=re.I)
    text = re.sub(r"\s+(?:who|which|whose|whom|that)\b.*$", "", text, flags=re.I)
    text = TRAILING_FILLERS.sub("", text)
    text = CONTAINER_RE.sub("", text)
    return text.strip().strip(",;: ")


def looks_like_speaker(phrase: str) -> bool:
    """Whether a cleaned phrase can be a speaker at all (and not a clause)."""
    tokens = _tokens(phrase)
    if not tokens or len(tokens) > 12:
        return False
    lower = [t.lower().strip(".,'’") for t in tokens]
    if len(tokens) == 1 and lower[0] in PRONOUNS:
        return True
    if lower[0] in {"according", "there", "it's", "this", "what", "how", "why", "if"}:
        return False
    if any(t in FINITE_VERBS for t in lower):
        return False
    if "\u2592" in phrase:
        return False
    for raw, low in zip(tokens, lower, strict=True):
        if (
            raw[:1].islower()
            and low.endswith("ed")
            and "-" not in low
            and low not in _ADJECTIVE_PARTICIPLES
        ):
            return False
        if low in {"not", "no", "never", "also"}:
            return False
    if any(t in AGENT_NOUNS or t.rstrip("s") in AGENT_NOUNS for t in lower):
        return True
    content = [raw for raw, low in zip(tokens, lower, strict=True) if low not in DETERMINERS]
    return any(_is_capitalised(t) for t in content)


def leading_subject(sentence: str) -> str:
    """The noun phrase a sentence opens with, up to its first verb."""
    text = clean_phrase(sentence.split(",")[0]) if "," in sentence[:4] else sentence
    text = LEADING_FILLERS.sub("", TIME_PHRASE.sub("", text.strip()))
    out: list[str] = []
    for token in _tokens(text):
        low = token.lower().strip(".,;:")
        if (
            low in FINITE_VERBS
            or (token[:1].islower() and low.endswith("ed") and low not in _ADJECTIVE_PARTICIPLES)
            or low in {"says", "denies", "accuses", "claims", "warns", "urges", "vowed", "said"}
            or not token[:1].isalnum()
        ):
            break
        out.append(token.strip(",;:"))
        if token.endswith((",", ";", ":")):
            break
    return " ".join(out)


_COUNTRY_OF = {
    strip_accents(form): country for country, forms in COUNTRIES.items() for form in forms
}
_COUNTRY_RE = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(re.escape(f) for f in sorted(_COUNTRY_OF, key=len, reverse=True))
    + r")(?![\w])"
)


def guess_kind(text: str, main_country: str | None = None) -> str:
    """Best guess at the kind of a source from how the article describes it."""
    lowered = strip_accents(text).lower()
    if re.search(r"\bdiplomats?\b", lowered):
        return "foreign_government"
    nationalities = {_COUNTRY_OF[m.group(0)] for m in _COUNTRY_RE.finditer(lowered)}
    governmental = re.search(
        r"\b(?:government|ministry|minister|president|army|military|officials?|state "
        r"department|embassy|foreign|command|authorities|kremlin|white house)\b",
        lowered,
    )
    if (
        governmental
        and FOREIGN_MARKERS.search(lowered)
        and (not main_country or main_country not in nationalities)
    ):
        return "foreign_government"
    if governmental and main_country and nationalities and main_country not in nationalities:
        return "foreign_government"
    hits = {kind for kind, pattern in (*KIND_HINTS, *ACRONYM_KINDS) if pattern.search(text)}
    for kind, _ in KIND_HINTS:
        if kind in hits:
            return kind
    return "other"


def main_country(text: str) -> str | None:
    """The country an article is mostly about, from how often it is named."""
    lowered = strip_accents(text).lower()
    # "us" is a pronoun far more often than a country, so short forms don't vote.
    counts: Counter[str] = Counter(
        _COUNTRY_OF[m.group(0)] for m in _COUNTRY_RE.finditer(lowered) if len(m.group(0)) > 3
    )
    if not counts:
        return None
    (best, n), *rest = [*counts.most_common(2), ("", 0)]
    # One passing mention ("the German foreign ministry") makes no country the subject.
    return best if n >= 2 and n > rest[0][1] else None


@dataclass
class Entity:
    """A speaker or intermediary as the article refers to it."""

    name: str
    key: int | str | None = None
    kind: str = "other"
    person: bool = False
    plural: bool = False
    forms: set[str] = field(default_factory=set)
    resolved_by: str = "new"

    def matches_word(self, word: str) -> bool:
        return any(word in form.split() for form in self.forms | {normalise(self.name)})


class SourceIndex:
    """Known sources, searchable by name, alias, contained name or telling word."""

    def __init__(self, sources: Sequence[KnownSource]) -> None:
        self.sources = list(sources)
        self.forms: list[tuple[str, KnownSource]] = []
        for source in self.sources:
            for form in (source.name, *source.aliases):
                norm = normalise(form)
                if norm:
                    self.forms.append((norm, source))
        self.word_owners: dict[str, set[int | str]] = {}
        for norm, source in self.forms:
            for word in norm.split():
                self.word_owners.setdefault(word, set()).add(source.key)

    def forms_of(self, source: KnownSource) -> set[str]:
        return {norm for norm, s in self.forms if s.key == source.key}

    def exact(self, phrase: str) -> KnownSource | None:
        norm = normalise(phrase)
        for form, source in self.forms:
            if form == norm:
                return source
        return None

    def contained(self, phrase: str) -> KnownSource | None:
        """A known name inside a longer phrase ('the Britain-based Syrian Observatory
        for Human Rights'), but not inside a place ('a diplomat in Kinshasa')."""
        norm = normalise(phrase)
        tokens = norm.split()
        best: tuple[int, KnownSource] | None = None
        for form, source in self.forms:
            size = len(form.split())
            for i in range(len(tokens) - size + 1):
                if tokens[i : i + size] != form.split():
                    continue
                if i > 0 and tokens[i - 1] in PREPOSITIONS:
                    continue
                if best is None or size > best[0]:
                    best = (size, source)
        return best[1] if best else None

    def by_words(self, phrase: str) -> KnownSource | None:
        """'the Observatory' -> Syrian Observatory for Human Rights: every word of
        the phrase belongs to one source, and one of them is telling."""
        content = [w for w in normalise(phrase).split() if w not in {"of", "for", "and", "the"}]
        if not content:
            return None
        owners: set[int | str] | None = None
        for word in content:
            found = self.word_owners.get(word, set())
            owners = found if owners is None else owners & found
        if not owners or len(owners) != 1:
            return None
        key = next(iter(owners))
        # At least one word must belong to this source alone; a lone generic
        # word ("ministry") then counts only because nothing else could be meant.
        if not any(len(self.word_owners.get(w, ())) == 1 for w in content):
            return None
        return next(s for s in self.sources if s.key == key)

    def mentions(self, text: str) -> list[tuple[int, KnownSource]]:
        """Where the text names each known source, in order; computed once per
        article so resolution stays linear in its length."""
        found: list[tuple[int, KnownSource]] = []
        for source in self.sources:
            for form in (source.name, *source.aliases):
                if len(form) < 3 and not form.isupper():
                    continue
                pattern = rf"(?<!\w){re.escape(form)}(?!\w)"
                flags = 0 if form.isupper() else re.IGNORECASE
                found.extend((m.start(), source) for m in re.finditer(pattern, text, flags))
        found.sort(key=lambda item: item[0])
        return found

    def single_of_kind(
        self, kind: str, mentions: Sequence[tuple[int, KnownSource]]
    ) -> KnownSource | None:
        """The one known source of a kind that the article names somewhere."""
        keys = {s.key for _, s in mentions if s.kind == kind}
        if len(keys) != 1:
            return None
        key = next(iter(keys))
        return next(s for s in self.sources if s.key == key)


def _strip_to_name(phrase: str) -> str:
    """A new source's name: no determiner, count, age or title in front."""
    tokens = _tokens(phrase)
    while tokens and (
        tokens[0].lower() in DETERMINERS
        or tokens[0].lower() in _NUMBER_WORDS
        or re.fullmatch(r"\d+-year-old|\d+", tokens[0].lower())
    ):
        tokens.pop(0)
    return " ".join(tokens)


def split_role(phrase: str) -> tuple[str, str, str]:
    """'Police spokesman Garry Desrosiers' -> ('Garry Desrosiers', 'Police spokesman', 'Police');
    'a United Nations spokesperson' -> ('', 'spokesperson', 'United Nations')."""
    tokens = _tokens(phrase)
    # Titles then a capitalised name: "Foreign Minister Andriy Hnatenko".
    last_title = -1
    for i, token in enumerate(tokens[:-1]):
        if token.lower().strip(".,") in TITLE_HEADS:
            last_title = i
    rest = tokens[last_title + 1 :]
    if (
        last_title >= 0
        and all(_is_capitalised(t) or t.lower().startswith(("al-", "el-")) for t in rest)
        and not any(t.lower() in AGENT_NOUNS or t.lower() in GENERIC_NAME_WORDS for t in rest)
    ):
        role_tokens = tokens[: last_title + 1]
        name = " ".join(tokens[last_title + 1 :])
        org = " ".join(
            t
            for t in role_tokens
            if t.lower().strip(".,") not in HONORIFICS
            and t.lower() not in ROLE_NOUNS
            and t.lower() not in DETERMINERS
        )
        return name, " ".join(role_tokens), org
    if tokens and tokens[-1].lower() in ROLE_NOUNS and len(tokens) > 1:
        org = " ".join(t for t in tokens[:-1] if t.lower() not in DETERMINERS)
        org = re.sub(r"\b(?:senior|deputy|chief|top|regional|press)\b\s*", "", org).strip()
        if (org and any(_is_capitalised(t) for t in org.split())) or org.lower() in {
            "army",
            "police",
            "military",
        }:
            return "", tokens[-1], org
    return phrase, "", ""


class Discourse:
    """What has been said so far in an article, for resolving later mentions."""

    def __init__(self, index: SourceIndex, text: str) -> None:
        self.index = index
        self.text = text
        self.country = main_country(text)
        self.recent: list[Entity] = []
        self.previous_subject: Entity | None = None
        # Where in the text the phrase being resolved sits.
        self.position = len(text)
        self.mentions = index.mentions(text)
        self.mention_starts = [start for start, _ in self.mentions]
        # Organisations last quoted through a named spokesperson.
        self.voiced_by_person: set[int] = set()

    # -- bookkeeping --------------------------------------------------------
    def mention(self, entity: Entity) -> None:
        self.recent = [e for e in self.recent if e is not entity][-15:]
        self.recent.append(entity)

    def _from_known(self, source: KnownSource, how: str) -> Entity:
        for entity in self.recent:
            if entity.key == source.key:
                return entity
        return Entity(
            name=source.name,
            key=source.key,
            kind=source.kind,
            person=False,
            plural=False,
            forms=self.index.forms_of(source),
            resolved_by=how,
        )

    # -- resolution ---------------------------------------------------------
    def pronoun(self, word: str) -> Entity | None:
        word = word.lower()
        prev = self.previous_subject
        if word in PERSON_PRONOUNS:
            if prev and (prev.person or id(prev) in self.voiced_by_person):
                return prev
            return next(
                (e for e in reversed(self.recent) if e.person or id(e) in self.voiced_by_person),
                None,
            )
        if word == "it":
            if prev and not prev.person and not prev.plural:
                return prev
            return next(
                (e for e in reversed(self.recent) if not e.person and not e.plural), None
            ) or next((e for e in reversed(self.recent) if not e.person), None)
        if word == "they":
            if prev and (prev.plural or not prev.person):
                return prev
            return next((e for e in reversed(self.recent) if e.plural or not e.person), None)
        return None

    def definite(self, phrase: str, *, known_only: bool = False) -> Entity | None:
        """'the group', 'the Observatory', 'the rights group' -> an earlier speaker."""
        tokens = _tokens(phrase)
        if not tokens or tokens[0].lower() not in {"the", "this", "that"} or len(tokens) > 5:
            return None
        rest = tokens[1:]
        if not rest:
            return None
        head = normalise(rest[-1])
        capitalised = [normalise(t) for t in rest if _is_capitalised(t)]
        candidates = list(reversed(self.recent))
        for entity in candidates:
            if capitalised and not all(entity.matches_word(c) for c in capitalised):
                continue
            if head and entity.matches_word(head):
                return entity
        if capitalised:
            return None
        kinds = HEAD_KINDS.get(head) if head in GENERIC_HEADS else None
        if kinds:
            for entity in candidates:
                if (
                    entity.kind in kinds
                    and not entity.person
                    and (entity.key is not None or not known_only)
                ):
                    return entity
        return None

    def resolve(
        self, raw: str, appositives: Iterable[str] = (), *, chain: bool = False
    ) -> Entity | None:
        """An entity for a raw phrase, reusing earlier ones where the article does."""
        appositives = list(appositives)
        phrase = clean_phrase(raw)
        if not phrase:
            return None
        if phrase.lower() in PRONOUNS:
            return self.pronoun(phrase)
        unit = _ORG_UNITS.match(phrase)
        if unit and not self.index.exact(phrase):
            org = self.resolve(unit.group("org"), chain=chain)
            if org is not None:
                return org
        name, role, org_text = split_role(phrase)
        role_orgs = [org_text] if org_text else []
        for appositive in appositives:
            match = ROLE_OF_RE.match(appositive.strip()) or _HEADS_ORG.match(appositive.strip())
            if match:
                role_orgs.append(match.group("org"))
        for org in role_orgs:
            entity = self._resolve_org(org)
            if entity is not None:
                if name and is_proper_name(name):
                    # "Colonel Naw Bu, a spokesman for the KIA ... He said": the
                    # organisation speaks, but "he" can still pick it up.
                    self.voiced_by_person.add(id(entity))
                return entity
        target = name or org_text or phrase
        known = self.index.exact(target) or self.index.contained(target)
        if known:
            return self._from_known(known, "name")
        entity = self.definite(target)
        if entity is not None:
            return entity
        known = self.index.by_words(target)
        if known:
            return self._from_known(known, "words")
        known = self._mentioned_before(target)
        if known:
            return self._from_known(known, "mention")
        described = " ".join([phrase, role, *appositives])
        kind = "news_outlet" if chain else guess_kind(described, self.country)
        if (
            chain
            and not re.search(
                r"news|agency|press|reuters|afp|bbc|tv|television|radio|newspaper|times|post|network|channel|media",
                target,
                re.I,
            )
            and not is_proper_name(target)
        ):
            kind = guess_kind(described, self.country)
        head = normalise(target).split()[-1:] if normalise(target) else []
        if target.split()[0].lower() in {"a", "an"} and head and head[0] in HEAD_KINDS:
            known = self.index.single_of_kind(kind, self.mentions)
            if known:
                return self._from_known(known, "kind")
        clean = _strip_to_name(target)
        if not clean:
            return None
        first = clean.split()[0]
        person = (
            (
                is_proper_name(clean)
                and 1 < len(clean.split()) <= 4
                and not self.index.by_words(clean)
                and not any(
                    w.lower() in AGENT_NOUNS or w.lower() in GENERIC_NAME_WORDS
                    for w in clean.split()
                )
            )
            or (
                len(clean.split()) <= 3
                and normalise(clean).split()[-1:]
                and normalise(clean).split()[-1] in _SINGULAR_PEOPLE
            )
            or first.lower() in {"survivor", "woman", "man"}
        )
        if person and kind == "other":
            kind = "witness"
        plural = (
            bool(
                re.search(
                    r"s\b",
                    normalise(clean).split()[0]
                    if len(clean.split()) == 1
                    else normalise(clean).split()[-1],
                )
            )
            and not person
        )
        return Entity(
            name=clean[:1].upper() + clean[1:] if not person else clean,
            kind=kind,
            person=bool(person),
            plural=plural,
            forms={normalise(clean)},
        )

    def _mentioned_before(self, phrase: str) -> KnownSource | None:
        """'the extremist group' after 'the Islamic State group' was named: the
        nearest known source of a fitting kind that the text names before."""
        tokens = _tokens(phrase)
        if len(tokens) < 2 or tokens[0].lower() not in {"the", "this"}:
            return None
        if any(_is_capitalised(t) for t in tokens[1:]):
            return None
        kinds = HEAD_KINDS.get(normalise(tokens[-1]))
        if not kinds:
            return None
        end = bisect.bisect_left(self.mention_starts, self.position)
        for _, source in reversed(self.mentions[:end]):
            if source.kind in kinds:
                return source
        return None

    def _resolve_org(self, org: str) -> Entity | None:
        org = clean_phrase(org)
        known = self.index.exact(org) or self.index.contained(org)
        if known:
            return self._from_known(known, "role")
        entity = self.definite(org, known_only=True)
        if entity is not None and entity.key is not None:
            return entity
        known = self.index.by_words(org)
        return self._from_known(known, "role") if known else None

    def subject_entity(self, sentence: str) -> Entity | None:
        """The agent a sentence opens with, if it is one a pronoun could pick up."""
        subject = leading_subject(sentence)
        if not subject or not looks_like_speaker(subject):
            return None
        if subject.lower() in PRONOUNS:
            return self.pronoun(subject)
        entity = self.resolve(subject)
        if entity is None or (entity.key is None and entity.kind == "other" and not entity.person):
            return None
        return entity
