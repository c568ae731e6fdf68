"""Who said it: cleaning a speaker phrase, matching it to a known source,
guessing the kind of a new one, and following "he", "it" or "the group"
back to the speaker meant."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
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
    PRONOUNS,
    ROLE_NOUNS,
    TIME_PHRASE,
    TITLE_HEADS,
    TRAILING_FILLERS,
    words,
)
from .results import KnownSource
from .sources import SourceMatcher

_NUMBER_WORDS = words("one two three four five six seven eight nine ten dozen dozens")
_ADJECTIVE_PARTICIPLES = words(
    """armed based backed linked allied affiliated displaced united appointed ousted wounded
    injured detained named unnamed elected exiled retired trained concerned qualified
    organised organized masked aged led run owned respected embattled besieged"""
)
_SINGULAR_PEOPLE = words(
    """survivor woman man resident witness doctor nurse worker driver farmer student teacher
    mother father villager medic paramedic volunteer official diplomat activist relative
    neighbour neighbor shopkeeper refugee eyewitness journalist lawyer commander soldier
    rescuer engineer vendor trader fisherman herder pastor imam priest nun midwife"""
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
        or re.fullmatch(r"(?:al|el|bin|ibn|abu|ad|as|ash|at|az)-[A-Z\u00C0-\u024F][\w'’-]*", t)
        is not None
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
    # "survivors interviewed by our researchers": how they were reached, not who they are.
    text = re.sub(
        r"\s+(?:interviewed|contacted|reached|quoted|cited|questioned)\s+by\b.*$",
        "",
        text,
        flags=re.I,
    )
    text = TRAILING_FILLERS.sub("", text)
    text = CONTAINER_RE.sub("", text)
    return text.strip().strip(",;: ")


# "..., the report said": the document of the organisation that spoke last.
DOCUMENT_RE = re.compile(
    r"^(?:the|its|their)\s+(?:(?:new|latest|monthly|weekly|annual|same|final)\s+)?(?:report|"
    r"statement|study|survey|update|bulletin|assessment|document|communiqu[ée]|tally|"
    r"analysis|review)$",
    re.IGNORECASE,
)


def looks_like_speaker(phrase: str) -> bool:
    """Whether a cleaned phrase can be a speaker at all (and not a clause)."""
    tokens = _tokens(phrase)
    if not tokens or len(tokens) > 12:
        return False
    lower = [t.lower().strip(".,'’") for t in tokens]
    if len(tokens) == 1 and lower[0] in PRONOUNS:
        return True
    if DOCUMENT_RE.match(phrase):
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


# A new source's name for "<Country>'s foreign ministry": "German foreign ministry".
_DEMONYM = {forms[0]: forms[1] for forms in COUNTRIES.values() if len(forms) > 1}
_POSSESSIVE_COUNTRY = re.compile(r"^(?P<country>[A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s\s+(?P<rest>.+)$")
_NAMED_AS = re.compile(
    r"\b(?:identified|named|known|introduced)\s+(?:only\s+|simply\s+)?(?:as|by)\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)|\bgave\s+(?:his|her|their)\s+(?:first\s+)?"
    r"name\s+(?:only\s+)?as\s+(?P<name2>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)
# "Its spokesperson": the organisation just mentioned speaks through someone.
_POSSESSIVE_ROLE = re.compile(
    r"^(?:its|their)\s+(?:[\w-]+\s+)?(?:spokes(?:man|woman|person)|director|head|chief|"
    r"leader|commander|coordinator|representative)$",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"^(?:we|us|our\b.*|the\s+(?:undersigned|author))$", re.IGNORECASE)
_SPOKES = re.compile(r"\bspokes(?:man|woman|person|people)\b", re.IGNORECASE)
_ROLE_WITH_ORG = re.compile(
    r"^(?:a|an|the)?\s*(?:(?:senior|deputy|chief|top|regional|local|military|press|executive|"
    r"official)\s+)*(?P<role>spokes(?:man|woman|person)|director|head|chief|commander|leader|"
    r"official|representative|secretary|coordinator|chairman|chairwoman|president|founder)\s+"
    r"(?:for|of|at|with|from)\s+(?P<org>.+)$",
    re.IGNORECASE,
)
_ORG_ROLE_APPOSITIVE = re.compile(
    r"^(?:the\s+)?(?P<org>.+?)['’]s\s+(?:(?:\w+\s+)?(?:spokes(?:man|woman|person)|director|head|"
    r"chief|coordinator|commander|leader|representative))$",
    re.IGNORECASE,
)
PARTICLES = words("al el bin ibn de del da van von la le abu umm")
CONFIDENCE = {
    "name": 0.97,
    "alias": 0.93,
    "person": 0.9,
    "author": 0.9,
    "description": 0.8,
    "coreference": 0.75,
    "fuzzy": 0.7,
    "kind": 0.6,
    "new": 0.0,
}


@dataclass(eq=False)
class Entity:
    """A speaker or intermediary as the article refers to it."""

    name: str
    key: int | str | None = None
    kind: str = "other"
    person: bool = False
    plural: bool = False
    forms: set[str] = field(default_factory=set)
    resolved_by: str = "new"
    # A description rather than a name ("a volunteer rescuer"): a name given
    # for it later in the article replaces it.
    descriptive: bool = False
    described: str = ""

    def matches_word(self, word: str) -> bool:
        return any(word in form.split() for form in self.forms | {normalise(self.name)})


@dataclass
class Resolution:
    entity: Entity
    how: str
    via_person: str | None = None

    @property
    def confidence(self) -> float:
        return CONFIDENCE.get(self.how, 0.5) if self.entity.key is not None else 0.0


def canonical_new_name(phrase: str) -> str:
    """How a new source is proposed: no determiner, count or age in front, a
    country's institution by its demonym ("Germany's foreign ministry" ->
    "German foreign ministry"), the first letter capitalised."""
    clean = _strip_to_name(phrase)
    m = _POSSESSIVE_COUNTRY.match(clean)
    if m:
        demonym = _DEMONYM.get(m.group("country").lower())
        if demonym:
            clean = f"{demonym.capitalize()} {m.group('rest')}"
    return clean[:1].upper() + clean[1:] if clean else clean


def _proper_tail(phrase: str) -> str:
    """'the state broadcaster Télé Sahel' -> 'Télé Sahel'."""
    tokens = phrase.split()
    tail: list[str] = []
    for token in reversed(tokens):
        if _is_capitalised(token) or token.lower() in PARTICLES:
            tail.insert(0, token)
        else:
            break
    if tail and len(tail) < len(tokens):
        return " ".join(tail)
    return phrase


class Discourse:
    """What has been said so far in an article, for resolving later mentions."""

    def __init__(
        self,
        matcher: SourceMatcher,
        text: str,
        *,
        outlet: str | None = None,
        author_speaks: bool = False,
    ) -> None:
        self.matcher = matcher
        self.text = text
        self.country = main_country(text)
        self.recent: list[Entity] = []
        self.previous_subject: Entity | None = None
        self.previous_via: str | None = None
        self.position = len(text)
        self.mentions = matcher.mentions(text)
        self.mention_starts = [m.start for m in self.mentions]
        # Organisations last quoted through a named spokesperson.
        self.voiced_by: dict[int, str] = {}
        # Entities that have spoken (not only relayed): what "it" and "they" pick up.
        self.spoke: set[int] = set()
        # Names of people met in the article: each distinctive word of the name
        # -> (the entity they speak as, their full name).
        self.people: dict[str, tuple[Entity, str]] = {}
        # Acronyms defined in the text: "Kordofan Rights Observatory (KRO)".
        self.local_aliases: dict[str, str] = {}
        self.new_entities: dict[str, Entity] = {}
        self.known_entities: dict[int | str, Entity] = {}
        self.outlet = outlet or ""
        self.author: Entity | None = self._author(outlet) if outlet else None
        # "We", "our team": the author, only in documents whose author speaks.
        self.first_person: Entity | None = self.author if author_speaks else None

    # -- bookkeeping --------------------------------------------------------
    def mention(self, entity: Entity, *, relay: bool = False) -> None:
        self.recent = [e for e in self.recent if e is not entity][-15:]
        self.recent.append(entity)
        if not relay:
            self.spoke.add(id(entity))

    def define_acronym(self, acronym: str, name: str) -> None:
        self.local_aliases.setdefault(acronym, name)

    def register_person(self, name: str, entity: Entity) -> None:
        full = " ".join(name.split())
        for word in normalise(full).split():
            if word not in PARTICLES and len(word) >= 3:
                self.people[word] = (entity, full)
        self.people[normalise(full)] = (entity, full)

    def _from_known(self, source: KnownSource) -> Entity:
        entity = self.known_entities.get(source.key)
        if entity is None:
            entity = Entity(
                name=source.name,
                key=source.key,
                kind=source.kind,
                forms=self.matcher.forms_of(source) | {normalise(d) for d in source.descriptions},
                resolved_by="name",
            )
            self.known_entities[source.key] = entity
        return entity

    def _author(self, outlet: str) -> Entity:
        match = (
            self.matcher.exact(outlet)
            or self.matcher.contained(outlet)
            or self.matcher.description(outlet)
            or self.matcher.fuzzy(outlet)
        )
        if match is not None:
            return self._from_known(match.source)
        return self._new(outlet, kind=guess_kind(outlet), person=False)

    def is_outlet(self, entity: Entity) -> bool:
        return self.author is not None and entity is self.author

    def _new(self, name: str, *, kind: str, person: bool, descriptive: bool = False) -> Entity:
        name = canonical_new_name(name) if not person else name
        key = normalise(name)
        existing = self.new_entities.get(key)
        if existing is not None:
            return existing
        plural = not person and bool(re.search(r"s$", key.split()[-1] if key else ""))
        entity = Entity(
            name=name,
            kind=kind,
            person=person,
            plural=plural,
            forms={key},
            descriptive=descriptive,
            described=name if descriptive else "",
        )
        self.new_entities[key] = entity
        return entity

    def rename(self, entity: Entity, name: str, *, person: bool) -> None:
        """A description named later ("a volunteer rescuer" ... "The rescuer, Ko
        Thant,"): one proposed source, under the name."""
        self.new_entities.pop(normalise(entity.name), None)
        entity.name = name
        entity.person = person
        entity.plural = False
        entity.descriptive = False
        entity.forms.add(normalise(name))
        self.new_entities[normalise(name)] = entity
        if person:
            self.register_person(name, entity)

    # -- resolution ---------------------------------------------------------
    def pronoun(self, word: str) -> Resolution | None:
        word = word.lower()
        prev = self.previous_subject
        if word in {"we", "us"}:
            return Resolution(self.first_person, "author") if self.first_person else None
        if word in PERSON_PRONOUNS:
            if prev and (prev.person or id(prev) in self.voiced_by):
                return Resolution(prev, "coreference", self.voiced_by.get(id(prev)))
            for e in reversed(self.recent):
                if e.person or id(e) in self.voiced_by:
                    return Resolution(e, "coreference", self.voiced_by.get(id(e)))
            return None
        speakers = [e for e in reversed(self.recent) if id(e) in self.spoke]
        if word == "it":
            if prev and not prev.person and not prev.plural:
                return Resolution(prev, "coreference")
            entity = next((e for e in speakers if not e.person and not e.plural), None) or next(
                (e for e in speakers if not e.person), None
            )
            return Resolution(entity, "coreference") if entity else None
        if word == "they":
            if prev and (prev.plural or not prev.person):
                return Resolution(prev, "coreference")
            entity = next((e for e in speakers if e.plural or not e.person), None)
            return Resolution(entity, "coreference") if entity else None
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
        named = candidates
        if self.author is not None and self.author not in candidates:
            named = [*candidates, self.author]
        for entity in named:
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

    def _person_in_article(self, name: str) -> tuple[Entity, str] | None:
        norm = normalise(name)
        if not norm:
            return None
        if norm in self.people:
            return self.people[norm]
        words_ = [w for w in norm.split() if w not in PARTICLES]
        if len(words_) == 1 and words_[0] in self.people:
            return self.people[words_[0]]
        return None

    def _known_person(self, name: str) -> Resolution | None:
        match = self.matcher.person(name)
        if match is None and len(name.split()) == 1:
            match = self.matcher.person_fuzzy(name)
        if match is None:
            return None
        entity = self._from_known(match.source)
        person = match.person or name
        self.register_person(person, entity)
        self.voiced_by[id(entity)] = person
        return Resolution(entity, "person" if match.how == "person" else "fuzzy", person)

    def _resolve_org(self, org: str) -> Resolution | None:
        org = clean_phrase(org)
        if not org:
            return None
        if _FIRST_PERSON.match(org) or org.lower() in {"our", "its own"}:
            return Resolution(self.first_person, "author") if self.first_person else None
        acronym = self.local_aliases.get(org.strip())
        if acronym:
            org = acronym
        match = self.matcher.exact(org) or self.matcher.contained(org)
        if match is not None:
            return Resolution(self._from_known(match.source), match.how)
        entity = self.definite(org, known_only=False)
        if entity is not None:
            return Resolution(entity, "coreference")
        match = (
            self.matcher.description(org) or self.matcher.by_words(org) or self.matcher.fuzzy(org)
        )
        if match is not None:
            return Resolution(self._from_known(match.source), match.how)
        return None

    def resolve(
        self, raw: str, appositives: Iterable[str] = (), *, chain: bool = False
    ) -> Resolution | None:
        """Who a raw speaker phrase stands for, reusing earlier entities."""
        appositives = [a.strip() for a in appositives if a.strip()]
        named_as = _NAMED_AS.search(raw)
        if named_as is None and not chain:
            for appositive in appositives:
                in_appositive = _NAMED_AS.search(appositive)
                if in_appositive is not None and _POSSESSIVE_ROLE.match(clean_phrase(raw)):
                    # "Its spokesperson, who asked to be identified only as Ko Min"
                    name = in_appositive.group("name") or in_appositive.group("name2")
                    org = self.pronoun("it")
                    if org is not None and not org.entity.person:
                        self.register_person(name, org.entity)
                        self.voiced_by[id(org.entity)] = name
                        return Resolution(org.entity, org.how, name)
        if named_as is not None and not chain:
            name = named_as.group("name") or named_as.group("name2")
            known = self.matcher.exact(name)
            if known is not None:
                return Resolution(self._from_known(known.source), known.how)
            described = raw[: named_as.start()].lower()
            if re.search(
                r"\b(?:resident|woman|man|survivor|witness|activist|farmer|mother|"
                r"father|doctor|teacher|student|villager|worker|girl|boy|nurse|medic|"
                r"official|who)\b",
                described,
            ):
                return Resolution(self._new_person(name), "new")
        phrase = clean_phrase(raw)
        if not phrase:
            return None
        low = phrase.lower()
        if low in PRONOUNS or low == "we":
            return self.pronoun(phrase)
        if DOCUMENT_RE.match(phrase):
            return self.pronoun("it")
        if _FIRST_PERSON.match(phrase) and self.first_person is not None:
            return Resolution(self.first_person, "author")
        acronym = self.local_aliases.get(
            re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
        )
        if acronym and not self.matcher.exact(phrase):
            resolved = self._resolve_org(acronym)
            if resolved is not None:
                return resolved
            return Resolution(self._new(acronym, kind=guess_kind(acronym), person=False), "new")
        name, role, org_text = split_role(phrase)
        # A person the workspace knows speaks for their organisation.
        person_name = name if name and is_proper_name(name) else ""
        appositive_name = next(
            (a for a in appositives if is_proper_name(a) and 1 <= len(a.split()) <= 4), ""
        )
        for candidate in (person_name, appositive_name):
            if candidate:
                known = self._known_person(candidate)
                if known is not None:
                    return known
        if person_name and not role:
            met = self._person_in_article(person_name)
            if met is not None:
                entity, full = met
                via = full if not entity.person else None
                if via:
                    self.voiced_by[id(entity)] = full
                return Resolution(entity, entity.resolved_by if entity.key else "new", via)
        # "the Ministry's spokesman, Colonel Mazen Shaar", "X, a spokesman for Y".
        role_orgs: list[tuple[str, bool]] = []
        unit = _ORG_ROLE_APPOSITIVE.match(phrase) or _ORG_UNITS.match(phrase)
        if unit and not self.matcher.exact(phrase):
            role_orgs.append((unit.group("org"), bool(_SPOKES.search(phrase))))
        if org_text:
            role_orgs.append((org_text, bool(_SPOKES.search(role))))
        role_phrase = _ROLE_WITH_ORG.match(phrase)
        if role_phrase:
            role_orgs.append(
                (role_phrase.group("org"), bool(_SPOKES.search(role_phrase.group("role"))))
            )
        for appositive in appositives:
            match = _ROLE_WITH_ORG.match(appositive) or _HEADS_ORG.match(appositive)
            if match:
                role_orgs.append((match.group("org"), bool(_SPOKES.search(appositive))))
            unit = _ORG_ROLE_APPOSITIVE.match(appositive)
            if unit:
                role_orgs.append((unit.group("org"), True))
        speaker_name = person_name or appositive_name
        if unit and not person_name:
            speaker_name = appositive_name
        for org, spokes in role_orgs:
            resolved = self._resolve_org(org)
            if resolved is None and spokes and not chain and not speaker_name:
                org_clean = clean_phrase(org)
                if org_clean and looks_like_speaker(org_clean) and re.search(r"\b[A-Z]", org_clean):
                    entity = self._new(
                        org_clean, kind=guess_kind(org_clean, self.country), person=False
                    )
                    resolved = Resolution(entity, "new")
            if resolved is not None:
                entity = resolved.entity
                if (
                    speaker_name
                    and entity.key is None
                    and entity.descriptive
                    and normalise(entity.name).split()[-1:]
                    and normalise(entity.name).split()[-1] in _SINGULAR_PEOPLE | ROLE_NOUNS
                ):
                    # "a local council leader" ... "Omar Bekele, who heads the local
                    # council": the leader described is the person named.
                    self.rename(entity, speaker_name, person=True)
                    return Resolution(entity, "new")
                if speaker_name:
                    self.register_person(speaker_name, resolved.entity)
                    self.voiced_by[id(resolved.entity)] = speaker_name
                    resolved.via_person = speaker_name
                return resolved
        if person_name and role and not org_text:
            # "Foreign Minister Andriy Hnatenko": a person of no known source.
            return Resolution(self._new_person(person_name), "new")
        target = name or org_text or phrase
        if chain:
            match = self.matcher.exact(target) or self.matcher.contained(target)
            if match is None:
                entity = self.definite(target)
                if entity is not None:
                    return Resolution(entity, "coreference")
                tail = _proper_tail(target)
                if tail != target:
                    match = self.matcher.exact(tail) or self.matcher.fuzzy(tail)
                    if match is None:
                        return Resolution(self._new(tail, kind="news_outlet", person=False), "new")
        else:
            match = self.matcher.exact(target)
            if match is None:
                match = self.matcher.contained(target)
                if match is not None and match.confidence < 0.9:
                    # "the rights observatory": a recorded description says more than
                    # one word of another source's alias ("the Observatory").
                    described = self.matcher.description(target)
                    if described is not None and described.source.key != match.source.key:
                        match = described
        if match is not None:
            return Resolution(self._from_known(match.source), match.how)
        if not chain and is_proper_name(re.sub(r"^the\s+", "", target, flags=re.I)):
            for appositive in appositives:
                described = self.definite(appositive)
                if described is not None and described.key is None and described.descriptive:
                    # "a local resistance group ..." then "The group, the Sagaing Defence
                    # Force, said": one source, under its name.
                    head = normalise(described.name).split()[-1:]
                    person = described.person or bool(
                        head and head[0] in _SINGULAR_PEOPLE | ROLE_NOUNS
                    )
                    self.rename(described, _strip_to_name(target), person=person)
                    return Resolution(described, "new")
        if is_proper_name(target) and len(target.split()) <= 3:
            met = self._person_in_article(target)
            if met is not None:
                entity, full = met
                return Resolution(entity, "coreference", full if not entity.person else None)
        entity = self.definite(target)
        if entity is not None:
            return Resolution(entity, "coreference", None)
        match = self.matcher.description(target)
        if match is None and appositives:
            for appositive in appositives:
                match = self.matcher.description(appositive)
                if match is not None:
                    break
        if match is not None:
            return Resolution(self._from_known(match.source), "description")
        match = self.matcher.by_words(target)
        if match is not None:
            return Resolution(self._from_known(match.source), "alias")
        known = self._mentioned_before(target)
        if known is not None:
            return Resolution(self._from_known(known), "coreference")
        match = self.matcher.fuzzy(target)
        if match is None and len(target.split()) == 1:
            match = self.matcher.person_fuzzy(target)
            if match is not None:
                entity = self._from_known(match.source)
                return Resolution(entity, "fuzzy", match.person)
        if match is not None:
            return Resolution(self._from_known(match.source), "fuzzy")
        described = " ".join([phrase, role, *appositives])
        kind = "news_outlet" if chain else guess_kind(described, self.country)
        if (
            chain
            and not re.search(
                r"news|agency|press|reuters|afp|bbc|tv|television|radio|newspaper|times|post|"
                r"network|channel|media|broadcaster",
                target,
                re.I,
            )
            and not is_proper_name(target)
        ):
            kind = guess_kind(described, self.country)
        head = normalise(target).split()[-1:] if normalise(target) else []
        if target.split()[0].lower() in {"a", "an"} and head and head[0] in HEAD_KINDS:
            known_source = self.single_of_kind(kind)
            if known_source is not None:
                return Resolution(self._from_known(known_source), "kind")
        clean = _strip_to_name(target)
        if not clean:
            return None
        if not chain and appositive_name and not is_proper_name(clean):
            # "A UN special rapporteur, Marta Ellison, condemned ..."
            return Resolution(self._new_person(appositive_name), "new")
        person = (
            (
                is_proper_name(clean)
                and 1 < len(clean.split()) <= 4
                and not self.matcher.by_words(clean)
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
            or clean.split()[0].lower() in {"survivor", "woman", "man"}
        )
        if person and kind == "other":
            kind = "witness"
        if person and is_proper_name(clean):
            return Resolution(self._new_person(clean, kind=kind), "new")
        descriptive = not is_proper_name(clean)
        entity = self._new(clean, kind=kind, person=bool(person), descriptive=descriptive)
        return Resolution(entity, "new")

    def _new_person(self, name: str, kind: str = "witness") -> Entity:
        met = self._person_in_article(name)
        if met is not None and met[0].person:
            return met[0]
        entity = self._new(name, kind=kind if kind != "other" else "witness", person=True)
        self.register_person(name, entity)
        return entity

    def single_of_kind(self, kind: str) -> KnownSource | None:
        """The one known source of a kind that the article names somewhere."""
        keys = {m.source.key for m in self.mentions if m.source.kind == kind}
        if len(keys) != 1:
            return None
        return self.matcher.by_key[next(iter(keys))]

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
        for mention in reversed(self.mentions[:end]):
            if mention.source.kind in kinds:
                return mention.source
        return None

    def subject_entity(self, sentence: str) -> Entity | None:
        """The agent a sentence opens with, if it is one a pronoun could pick up."""
        subject = leading_subject(sentence)
        if not subject or not looks_like_speaker(subject):
            return None
        if subject.lower() in PRONOUNS:
            resolved = self.pronoun(subject)
            return resolved.entity if resolved else None
        resolved = self.resolve(subject)
        if resolved is None:
            return None
        entity = resolved.entity
        if entity.key is None and entity.kind == "other" and not entity.person:
            return None
        return entity
