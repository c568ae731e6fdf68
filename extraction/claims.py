"""Putting it together: sentences -> attributions -> suggested claims with
speakers resolved to sources and figures with their scope."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from counting.wording import figure_phrase, format_number

from .attribution import Attribution, find_attribution
from .figures import FigureReading, read_figures
from .lexicon import REACTION_CONTENT, REACTION_CUE_RE, REACTION_CUES, REACTION_PHRASES
from .places import PlaceIndex
from .results import KnownPlace, KnownSource, SuggestedClaim, SuggestedFigure
from .scope import ArticleScope, ClaimContext
from .sentences import QUOTE_MASK, Sentence, mask_quotes, split_sentences
from .sources import SourceMatcher, form_tokens
from .speakers import Discourse, Entity, Resolution

# A sentence with no cue of its own that goes on with the previous speaker's count.
CONTINUATION_RE = re.compile(
    r"^\W*(?:additionally|in\s+addition|a\s+further|another|further|also|besides|moreover|"
    r"most\s+of\s+(?:them|the)|among\s+(?:them|those|the\s+(?:dead|victims|wounded|injured))|"
    r"the\s+(?:dead|victims|wounded)\s+(?:include|included|includes|were)|"
    r"of\s+(?:those|the\s+(?:remaining\s+)?(?:dead|victims|wounded)|these|them|whom)|"
    r"by\s+(?:province|region|area|district|governorate|state|town|city|locality|department)|"
    r"the\s+(?:death\s+)?toll\s+(?:by|in|for)\b|they\s+include|"
    r"in\s+(?:the\s+(?:[\w-]+\s+){0,2}of\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*(?:\s+alone)?,|"
    r"(?:(?:at\s+least|about|some|nearly|more\s+than|almost)\s+)?[\w,-]+\s+of\s+(?:them|those|"
    r"these|the\s+(?:dead|victims|wounded|injured)))",
    re.IGNORECASE,
)
# A second reported clause: what follows it is not the claim's main content.
SECOND_CLAUSE_RE = re.compile(
    r"\b(?:and|but)\s+(?:that|said|says|added|accused|vowed|warned|urged|denied|claimed|"
    r"announced|insisted)\b|,\s+saying\b|\bwho\s+said\b",
    re.IGNORECASE,
)
DENIAL_CUES = frozenset(
    {"denied", "denies", "deny", "rejected", "rejects", "dismissed", "dismisses"}
)
STRONG_CUES = frozenset({"said", "says", "told", "according to", "reported", "stated"})
# "The Syrian Observatory for Human Rights (SOHR)": short asides in brackets are
# set aside before the sentence is parsed, and an acronym is remembered.
PARENTHETICAL_RE = re.compile(r"\((?P<inner>[^()\d]{1,40})\)")
ACRONYM_RE = re.compile(r"^[A-Z][A-Za-z./&-]{1,11}$")


def _is_count(figure: SuggestedFigure) -> bool:
    return figure.outcome is not None or bool(
        re.search(
            r"\b(?:killed|wounded|dead|bodies|deaths|victims|destroyed|launched|burned|"
            r"looted|displaced|detained|missing|abducted|casualties)\b",
            figure.counted,
        )
    )


def _classify(
    entity: Entity,
    attribution: Attribution,
    sentence: Sentence,
    figures: list[SuggestedFigure],
) -> str:
    text = sentence.text
    cue = attribution.cue
    after_cue = text[attribution.cue_start :]
    if (
        cue in REACTION_CUES
        or REACTION_CUE_RE.match(cue)
        or (cue in {"called", "calls"} and REACTION_PHRASES.match(after_cue))
    ):
        return "reaction"
    content_start, content_end = attribution.content_start, attribution.content_end
    second = SECOND_CLAUSE_RE.search(text, content_start, content_end)
    main_end = second.start() if second else content_end
    for figure in figures:
        offset = figure.start - sentence.start
        if content_start <= offset < main_end and _is_count(figure):
            return "figure"
    content = text[content_start:content_end]
    if cue in DENIAL_CUES:
        return "statement"
    if entity.kind == "witness" or (entity.person and entity.key is None):
        return "testimony"
    if entity.kind in {"government", "armed_group"}:
        return "statement"
    if entity.kind == "foreign_government":
        return "reaction" if REACTION_CONTENT.search(content) else "statement"
    if entity.kind == "international_org":
        return "reaction" if REACTION_CONTENT.search(content) else "event"
    if entity.kind in {"monitor", "news_outlet"}:
        return "event"
    return "other"


def _one_line(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    text = re.sub(r"^(?:that|on \w+day|in a statement(?: on \w+day)?)\s+", "", text, flags=re.I)
    text = re.sub(r"^(?:that)\s+", "", text, flags=re.I)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def figure_wording(figure: SuggestedFigure) -> str:
    """'more than 1,000 people killed'; a range reads 'between 30 and 40 ...'."""
    if figure.qualifier == "range" and figure.value_high is not None:
        counted = " ".join(figure.counted.split())
        return (
            f"between {format_number(figure.value)} and {format_number(figure.value_high)} "
            f"{counted}"
        ).strip()
    return figure_phrase(figure.value, figure.qualifier, figure.counted)


def _statement(speaker: str, figures: list[SuggestedFigure], content: str) -> str:
    if figures:
        return f"{speaker}: " + "; ".join(figure_wording(f) for f in figures)
    return f"{speaker}: {_one_line(content)}"


def _confidence(resolution: Resolution, cue: str) -> float:
    """How sure the suggestion is: a known source resolved by name, with a plain
    reporting verb, is the surest; coreference, fuzzy matches and proposals less."""
    score = 0.55
    if resolution.entity.key is not None:
        score += 0.3 * resolution.confidence
    if cue in STRONG_CUES:
        score += 0.1
    if resolution.how in {"coreference", "kind"}:
        score -= 0.1
    return round(max(0.05, min(0.98, score)), 2)


def _is_bare_quote(sentence: Sentence) -> bool:
    masked = mask_quotes(sentence.text)
    return sentence.text[:1] in '"“«' and not re.search(r"[A-Za-z]", masked.replace(QUOTE_MASK, ""))


def _mask_parentheticals(text: str) -> tuple[str, list[tuple[str, int]]]:
    """The sentence with short bracketed asides blanked (same length), and the
    acronyms among them with where they stand."""
    acronyms: list[tuple[str, int]] = []

    def blank(match: re.Match[str]) -> str:
        inner = match.group("inner").strip()
        if ACRONYM_RE.match(inner):
            acronyms.append((inner, match.start()))
        return " " * len(match.group(0))

    return PARENTHETICAL_RE.sub(blank, text), acronyms


def _acronym_target(text: str, at: int, matcher: SourceMatcher) -> str:
    """What an acronym in brackets stands for: the longest phrase before it that
    names a known source, else its run of capitalised words."""
    before = text[max(0, at - 120) : at].rstrip()
    words = before.split()
    for size in range(min(8, len(words)), 0, -1):
        candidate = " ".join(words[-size:]).strip(",;:")
        if matcher.exact(candidate):
            return candidate
    run: list[str] = []
    for word in reversed(words):
        if word[:1].isupper() or (run and word.lower() in {"of", "for", "and", "the", "de", "du"}):
            run.insert(0, word)
        else:
            break
    while run and run[0].lower() in {"of", "for", "and", "the", "de", "du"}:
        run.pop(0)
    return " ".join(run).strip(",;:")


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class _Builder:
    """One article's suggestions, sentence by sentence."""

    def __init__(
        self,
        text: str,
        matcher: SourceMatcher,
        places: PlaceIndex,
        published: dt.date | None,
        outlet: str,
        author_speaks: bool,
    ) -> None:
        self.text = text
        self.matcher = matcher
        self.sentences = split_sentences(text)
        self.discourse = Discourse(
            matcher, text, outlet=outlet or None, author_speaks=author_speaks
        )
        self.scope = ArticleScope(text, self.sentences, places, published)
        self.author_speaks = author_speaks and self.discourse.author is not None
        self.claims: list[tuple[SuggestedClaim, Entity, int]] = []
        self.masked: list[str] = []
        for sentence in self.sentences:
            masked, acronyms = _mask_parentheticals(sentence.text)
            self.masked.append(masked)
            for acronym, at in acronyms:
                target = _acronym_target(sentence.text, at, matcher)
                if target:
                    self.discourse.define_acronym(acronym, target)
        self.attributions = [
            find_attribution(masked, not_speaker=self._is_place) for masked in self.masked
        ]
        self.scope.attributed = {i for i, a in enumerate(self.attributions) if a is not None}

    def _is_place(self, phrase: str) -> bool:
        """A subject that only names a known place ("Sarun recorded ...")."""
        return self.scope.places.resolve(phrase) is not None and not self.matcher.exact(phrase)

    # -- one claim -------------------------------------------------------------
    def _figures(
        self, sentence: Sentence, skip: Iterable[tuple[int, int]] = ()
    ) -> list[FigureReading]:
        spans = list(skip)
        readings = read_figures(self.text, sentence.start, sentence.end)
        kept = [
            r
            for r in readings
            if not any(s < r.figure.end and r.figure.start < e for s, e in spans if s < e)
        ]
        if len(kept) != len(readings):
            # Indices of parts point into the kept list.
            index = {id(r): i for i, r in enumerate(kept)}
            for r in kept:
                if r.figure.part_of is not None:
                    target = readings[r.figure.part_of]
                    r.figure.part_of = index.get(id(target))
        return kept

    def _claim(
        self,
        index: int,
        resolution: Resolution,
        *,
        chain: list[str],
        kind: str,
        readings: list[FigureReading],
        cue: str,
        content: str,
        confidence: float,
        continuation: bool,
        context: ClaimContext,
    ) -> SuggestedClaim:
        sentence = self.sentences[index]
        entity = resolution.entity
        context.speaker_kind = entity.kind
        self.scope.apply(readings, context)
        figures = [r.figure for r in readings]
        known = entity.key is not None
        claim = SuggestedClaim(
            start=sentence.start,
            end=sentence.end,
            quote=sentence.text,
            speaker=entity.name,
            source_key=entity.key,
            proposed_source_name="" if known else entity.name,
            proposed_source_kind=entity.kind,
            chain=chain,
            kind=kind,
            statement=_statement(entity.name, figures, content),
            figures=figures,
            cue=cue,
            confidence=confidence,
            via_person=resolution.via_person if known or not entity.person else None,
            continuation=continuation,
            resolved_by=resolution.how if known else "new",
            source_confidence=resolution.confidence if known else 0.0,
        )
        self.claims.append((claim, entity, index))
        return claim

    @staticmethod
    def _subject_span(sentence: Sentence, attribution: Attribution) -> tuple[int, int]:
        """The speaker with the words about them: 'One activist, Yazan,', 'The state
        governor, who visited the village on Saturday, was quoted by'."""
        start = attribution.speaker_start
        for appositive in attribution.appositives:
            at = sentence.text.find(appositive)
            if 0 <= at < start:
                start = at
        if attribution.speaker_end <= attribution.cue_start:
            end = attribution.cue_start
        else:
            end = attribution.speaker_end
            for appositive in attribution.appositives:
                at = sentence.text.find(appositive, attribution.speaker_end)
                if at >= 0:
                    end = max(end, at + len(appositive))
        return sentence.start + start, sentence.start + end

    def _chain(self, attribution: Attribution, speaker: Entity) -> list[str]:
        chain: list[str] = []
        for raw in attribution.chain:
            link = self.discourse.resolve(raw, chain=True)
            if link is None:
                continue
            entity = link.entity
            if entity is speaker or self.discourse.is_outlet(entity) or entity.name in chain:
                continue
            chain.append(entity.name)
            self.discourse.mention(entity, relay=True)
        return chain

    def attributed(self, index: int, attribution: Attribution) -> SuggestedClaim | None:
        sentence = self.sentences[index]
        discourse = self.discourse
        discourse.position = sentence.start + attribution.speaker_start
        resolution = discourse.resolve(attribution.speaker, attribution.appositives)
        if resolution is None or resolution.entity is None:
            return None
        entity = resolution.entity
        chain = self._chain(attribution, entity)
        speaker_span = (
            sentence.start + attribution.speaker_start,
            sentence.start + attribution.speaker_end,
        )
        subject_span = self._subject_span(sentence, attribution)
        skip = [speaker_span]
        if attribution.speaker_end <= attribution.cue_start:
            skip.append(subject_span)  # "One activist, Yazan, said": not a count
        readings = self._figures(sentence, skip)
        figures = [r.figure for r in readings]
        kind = _classify(entity, attribution, sentence, figures)
        content = sentence.text[attribution.content_start : attribution.content_end]
        context = ClaimContext(
            sentence_index=index,
            start=sentence.start,
            end=sentence.end,
            speaker_span=speaker_span,
            subject_span=subject_span,
            cue_span=(sentence.start + attribution.cue_start, sentence.start + attribution.cue_end),
            testimony=kind == "testimony",
            speaker=entity,
        )
        claim = self._claim(
            index,
            resolution,
            chain=chain,
            kind=kind,
            readings=readings,
            cue=attribution.cue,
            content=content,
            confidence=_confidence(resolution, attribution.cue),
            continuation=False,
            context=context,
        )
        discourse.mention(entity)
        discourse.previous_subject = entity
        if resolution.via_person:
            discourse.voiced_by[id(entity)] = resolution.via_person
        return claim

    def unattributed(self, index: int, previous: SuggestedClaim | None) -> SuggestedClaim | None:
        """The author's own finding (when the author speaks), or a sentence that
        carries on the previous speaker's account."""
        sentence = self.sentences[index]
        readings = self._figures(sentence)
        counts = [r for r in readings if _is_count(r.figure) or r.needs_antecedent]
        author = self.discourse.author
        first_person = re.match(r"^\W*(?:we|our)\b", sentence.text, re.I)
        context = ClaimContext(sentence_index=index, start=sentence.start, end=sentence.end)
        if self.author_speaks and author is not None and (readings or first_person):
            context.speaker = author
            return self._claim(
                index,
                Resolution(author, "author"),
                chain=[],
                kind="figure" if counts else "statement",
                readings=readings,
                cue="author",
                content=sentence.text,
                confidence=0.6,
                continuation=False,
                context=context,
            )
        if previous is None:
            return None
        last, last_entity, last_index = self.claims[-1]
        same_paragraph = self.sentences[last_index].paragraph == sentence.paragraph
        if last_index != index - 1 or not same_paragraph:
            return None
        opener = CONTINUATION_RE.search(sentence.text)
        bare_quote = _is_bare_quote(sentence)
        if not (bare_quote or (opener and readings)):
            return None
        context.continuation = True
        context.speaker = last_entity
        resolution = Resolution(last_entity, last.resolved_by, last.via_person)
        return self._claim(
            index,
            resolution,
            chain=list(last.chain),
            kind="figure" if counts else last.kind,
            readings=readings,
            cue="continuation",
            content=sentence.text,
            confidence=round(min(0.5, last.confidence - 0.2), 2),
            continuation=True,
            context=context,
        )

    # -- the article -------------------------------------------------------------
    def run(self) -> list[SuggestedClaim]:
        previous: SuggestedClaim | None = None
        for index, sentence in enumerate(self.sentences):
            attribution = self.attributions[index]
            claim = self.attributed(index, attribution) if attribution is not None else None
            if claim is None:
                claim = self.unattributed(index, previous)
                if claim is None:
                    subject = self.discourse.subject_entity(sentence.text)
                    self.discourse.previous_subject = subject
                    if subject is not None and subject.key is not None:
                        self.discourse.mention(subject)
            previous = claim
        self._name_described_speakers()
        for claim, entity, _ in self.claims:
            claim.speaker = entity.name
            if entity.key is None:
                claim.proposed_source_name = entity.name
                claim.proposed_source_kind = entity.kind
                claim.statement = re.sub(r"^[^:]*:", f"{entity.name}:", claim.statement, count=1)
        return [claim for claim, _, _ in self.claims]

    def _name_described_speakers(self) -> None:
        """'a volunteer rescuer told the agency' then 'The rescuer, Ko Thant, told
        ...': the description is the named person, proposed once, by name."""
        for position, (_, entity, index) in enumerate(self.claims):
            if not entity.descriptive or entity.key is not None:
                continue
            described = {
                w
                for w in form_tokens(entity.name)
                if len(w) >= 4 and w not in {"local", "leader", "official", "officials", "group"}
            }
            for _, other, other_index in self.claims[position + 1 : position + 4]:
                if other_index > index + 2:
                    break
                if other is entity or not other.person or other.key is not None:
                    continue
                window = self.sentences[other_index].text.lower()
                if described & set(re.findall(r"[a-z]+", window)):
                    self.discourse.rename(entity, other.name, person=True)
                    for j, (claim, e, i) in enumerate(self.claims):
                        if e is other:
                            self.claims[j] = (claim, entity, i)
                    break


def suggest_claims(
    text: str,
    known_sources: Sequence[KnownSource] | SourceMatcher = (),
    *,
    places: Sequence[KnownPlace] | PlaceIndex = (),
    published: dt.date | str | None = None,
    outlet: str | None = None,
    author_speaks: bool = False,
) -> list[SuggestedClaim]:
    """Candidate claims in article text, one per attributed sentence, in order.

    `known_sources` is a list of KnownSource or a SourceMatcher built once for
    them (reuse it across articles); `places` the gazetteer (KnownPlace list or a
    PlaceIndex); `published` the article's date, against which "on Friday" or
    "in the past 24 hours" are resolved; `outlet` who published it; with
    `author_speaks`, the outlet's own findings are claims of the outlet."""
    if not text or not text.strip():
        return []
    matcher = (
        known_sources if isinstance(known_sources, SourceMatcher) else SourceMatcher(known_sources)
    )
    place_index = places if isinstance(places, PlaceIndex) else PlaceIndex(places)
    builder = _Builder(
        text, matcher, place_index, _as_date(published), outlet or "", bool(author_speaks)
    )
    return builder.run()
