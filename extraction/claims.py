"""Putting it together: sentences -> attributions -> suggested claims."""

from __future__ import annotations

import re
from collections.abc import Sequence

from counting.wording import VAGUE, figure_phrase

from .attribution import Attribution, find_attribution
from .figures import extract_figures
from .lexicon import REACTION_CONTENT, REACTION_CUES, REACTION_PHRASES, words
from .results import KnownSource, SuggestedClaim, SuggestedFigure
from .sentences import QUOTE_MASK, Sentence, mask_quotes, split_sentences
from .speakers import Discourse, Entity, SourceIndex

# A sentence with no cue of its own that goes on with the previous speaker's count.
CONTINUATION_RE = re.compile(
    r"^(?:additionally|in\s+addition|a\s+further|another|further|also|besides|moreover|"
    r"among\s+(?:the\s+dead|them|those\s+killed)|the\s+dead\s+(?:included|were)|"
    r"of\s+(?:those|the\s+dead))\b|\balso\b",
    re.IGNORECASE,
)
# A second reported clause: what follows it is not the claim's main content.
SECOND_CLAUSE_RE = re.compile(
    r"\b(?:and|but)\s+(?:that|said|says|added|accused|vowed|warned|urged|denied|claimed|"
    r"announced|insisted)\b|,\s+saying\b|\bwho\s+said\b",
    re.IGNORECASE,
)
COUNT_MARKERS = words(
    """killed wounded missing displaced executed detained abducted destroyed launched burned
    looted damaged dead bodies casualties deaths victims"""
)
# Denying or claiming responsibility is a position, whoever takes it.
DENIAL_CUES = frozenset(
    {"denied", "denies", "deny", "rejected", "rejects", "dismissed", "dismisses"}
)
STRONG_CUES = frozenset({"said", "says", "told", "according to", "reported", "stated"})


def _is_count(figure: SuggestedFigure) -> bool:
    return any(word in COUNT_MARKERS for word in figure.counted.split())


def _classify(
    entity: Entity,
    attribution: Attribution,
    sentence: Sentence,
    figures: list[SuggestedFigure],
) -> str:
    text = sentence.text
    cue = attribution.cue
    after_cue = text[attribution.cue_start :]
    if cue in REACTION_CUES or (cue in {"called", "calls"} and REACTION_PHRASES.match(after_cue)):
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
    if entity.kind == "witness":
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


def _figure_phrase(figure: SuggestedFigure) -> str:
    if figure.qualifier in VAGUE:
        return f"{figure.text.lower()} {figure.counted}"
    return figure_phrase(figure.value, figure.qualifier, figure.counted)


def _statement(speaker: str, figures: list[SuggestedFigure], content: str) -> str:
    if figures:
        return f"{speaker}: " + "; ".join(_figure_phrase(f) for f in figures)
    return f"{speaker}: {_one_line(content)}"


def _confidence(entity: Entity, cue: str, *, indirect: bool) -> float:
    score = 0.55
    if entity.key is not None:
        score += 0.25
    if cue in STRONG_CUES:
        score += 0.1
    if indirect or entity.resolved_by == "kind":
        score -= 0.15
    return round(max(0.05, min(0.98, score)), 2)


def _is_bare_quote(sentence: Sentence) -> bool:
    masked = mask_quotes(sentence.text)
    return sentence.text[:1] in '"“«' and not re.search(r"[A-Za-z]", masked.replace(QUOTE_MASK, ""))


def _make_claim(
    sentence: Sentence,
    entity: Entity,
    chain: list[str],
    kind: str,
    figures: list[SuggestedFigure],
    cue: str,
    content: str,
    confidence: float,
) -> SuggestedClaim:
    known = entity.key is not None
    return SuggestedClaim(
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
    )


def suggest_claims(text: str, known_sources: Sequence[KnownSource] = ()) -> list[SuggestedClaim]:
    """Candidate claims in article text, one per attributed sentence, in order."""
    if not text or not text.strip():
        return []
    discourse = Discourse(SourceIndex(known_sources), text)
    claims: list[SuggestedClaim] = []
    previous: tuple[int, SuggestedClaim, Entity] | None = None
    for index, sentence in enumerate(split_sentences(text)):
        attribution = find_attribution(sentence.text)
        entity = None
        if attribution is not None:
            discourse.position = sentence.start + attribution.speaker_start
            entity = discourse.resolve(attribution.speaker, attribution.appositives)
        if attribution is not None and entity is not None:
            chain: list[str] = []
            for raw in attribution.chain:
                link = discourse.resolve(raw, chain=True)
                if link is not None and link is not entity and link.name not in chain:
                    chain.append(link.name)
                    discourse.mention(link)
            speaker_span = (
                sentence.start + attribution.speaker_start,
                sentence.start + attribution.speaker_end,
            )
            figures = [
                f
                for f in extract_figures(text, sentence.start, sentence.end)
                if f.end <= speaker_span[0] or f.start >= speaker_span[1]
            ]
            kind = _classify(entity, attribution, sentence, figures)
            content = sentence.text[attribution.content_start : attribution.content_end]
            indirect = attribution.speaker.strip().lower() in {"he", "she", "it", "they"}
            claim = _make_claim(
                sentence,
                entity,
                chain,
                kind,
                figures,
                attribution.cue,
                content,
                _confidence(entity, attribution.cue, indirect=indirect),
            )
            claims.append(claim)
            discourse.mention(entity)
            discourse.previous_subject = entity
            previous = (index, claim, entity)
            continue
        follows = previous is not None and previous[0] == index - 1
        if follows and previous is not None:
            _, last, last_entity = previous
            figures = extract_figures(text, sentence.start, sentence.end)
            counts = [f for f in figures if _is_count(f)]
            if counts and CONTINUATION_RE.search(sentence.text):
                claim = _make_claim(
                    sentence,
                    last_entity,
                    list(last.chain),
                    "figure",
                    figures,
                    "",
                    sentence.text,
                    0.5,
                )
            elif _is_bare_quote(sentence):
                claim = _make_claim(
                    sentence,
                    last_entity,
                    list(last.chain),
                    last.kind,
                    figures,
                    "",
                    sentence.text,
                    0.45,
                )
            else:
                claim = None
            if claim is not None:
                claims.append(claim)
                previous = (index, claim, last_entity)
                continue
        discourse.previous_subject = discourse.subject_entity(sentence.text)
        if discourse.previous_subject is not None and discourse.previous_subject.key is not None:
            discourse.mention(discourse.previous_subject)
    return claims
