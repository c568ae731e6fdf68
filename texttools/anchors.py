"""Anchoring claims in article text (W3C Web Annotation selectors). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

CONTEXT_CHARS = 32


class AnchorError(ValueError):
    pass


def context_around(body: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The TextQuoteSelector prefix and suffix of a span."""
    return body[max(0, start - size) : start], body[end : end + size]


def check_span(body: str, start: int, end: int, quote: str | None) -> str:
    """The quote at [start, end), refusing offsets outside the text or a quote
    that is not what the text says there."""
    if start < 0 or end > len(body) or start >= end:
        raise AnchorError(
            f"The selection {start}–{end} lies outside the article text (0–{len(body)})."
        )
    actual = body[start:end]
    if quote is not None and quote != actual:
        raise AnchorError(
            "The quote does not match the article text at those offsets; select the text again."
        )
    return actual


def locate_quote(body: str, quote: str) -> tuple[int, int]:
    """Offsets of a quote typed by hand; it must occur exactly once."""
    if not quote:
        raise AnchorError("Give a quote or select text in the article.")
    first = body.find(quote)
    if first < 0:
        raise AnchorError("The quote does not occur in the article text.")
    if body.find(quote, first + 1) >= 0:
        raise AnchorError(
            "The quote occurs more than once in the article; select the intended "
            "occurrence with the mouse or give a longer quote."
        )
    return first, first + len(quote)


ACCEPT_SCORE = 0.75


MIN_QUOTE_SIMILARITY = 0.7


MAX_CANDIDATES = 60


_ANCHOR_WORD_RE = re.compile(r"\w+", re.UNICODE)


_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


_COMMON_WORDS = frozenset(
    {
        *("the", "a", "an", "of", "to", "in", "on", "at", "and", "or", "but", "for", "by"),
        *("with", "from", "that", "this", "said", "says", "was", "were", "is", "are", "be"),
        *("been", "has", "have", "had", "it", "its", "as", "not", "no"),
    }
)


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    score: float
    method: str  # "exact" or "approximate"


@dataclass(frozen=True)
class AnchorAttempt:
    """What re-anchoring found: a placement, or the best score it reached."""

    placement: Placement | None
    best_score: float
    reason: str = ""

    @property
    def placed(self) -> bool:
        return self.placement is not None


def offset_mapper(old: str, new: str):
    """A function mapping an offset in the old text to where the same spot
    most likely is in the new text, from a line-level diff (cheap: a few
    hundred lines, not a million characters)."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    old_starts = _line_starts(old_lines)
    new_starts = _line_starts(new_lines)
    # (old offset where a run of equal lines starts, shift to add)
    anchors: list[tuple[int, int]] = []
    for block in Indel.opcodes(old_lines, new_lines).as_matching_blocks():
        if block.size:
            anchors.append((old_starts[block.a], new_starts[block.b] - old_starts[block.a]))

    def mapped(offset: int) -> int:
        shift = 0
        for old_offset, delta in anchors:
            if old_offset > offset:
                break
            shift = delta
        return max(0, min(len(new), offset + shift))

    return mapped


def _line_starts(lines: list[str]) -> list[int]:
    starts, position = [], 0
    for line in lines:
        starts.append(position)
        position += len(line)
    starts.append(position)
    return starts


def _closeness(position: int, expected: int, length: int) -> float:
    """1 at the expected position, falling to 0 a tenth of the text away."""
    scale = max(200, length // 10)
    return max(0.0, 1.0 - abs(position - expected) / scale)


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100


def _context_score(body: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around a span matches the claim's recorded context."""
    scores = []
    if prefix:
        scores.append(_similarity(body[max(0, start - len(prefix)) : start], prefix))
    if suffix:
        scores.append(_similarity(body[end : end + len(suffix)], suffix))
    return sum(scores) / len(scores) if scores else 0.5


def _exact(body: str, quote: str, prefix: str, suffix: str, expected: int) -> Placement | None:
    occurrences = []
    position = body.find(quote)
    while position >= 0:
        occurrences.append(position)
        position = body.find(quote, position + 1)
    if not occurrences:
        return None
    if len(occurrences) == 1:
        return Placement(occurrences[0], occurrences[0] + len(quote), 1.0, "exact")
    # A repeated quote: the occurrence nearest where the claim should be; its
    # context decides between occurrences equally near.
    best = min(
        occurrences,
        key=lambda p: (
            abs(p - expected),
            -_context_score(body, p, p + len(quote), prefix, suffix),
        ),
    )
    return Placement(best, best + len(quote), 1.0, "exact")


def _candidate_starts(body: str, quote: str, expected: int) -> list[int]:
    """Where an edited quote may begin: wherever one of its distinctive words
    occurs, shifted back by that word's place in the quote."""
    starts: set[int] = set()
    quote_words = [
        m for m in _ANCHOR_WORD_RE.finditer(quote) if m.group(0).lower() not in _COMMON_WORDS
    ]
    # The first and last few words anchor best; bound the work on long quotes.
    chosen = quote_words[:4] + quote_words[-4:]
    seen_words: set[str] = set()
    for match in chosen:
        word = match.group(0)
        if word.lower() in seen_words:
            continue
        seen_words.add(word.lower())
        pattern = re.compile(r"\b" + re.escape(word) + r"\b", re.IGNORECASE)
        for found in pattern.finditer(body):
            starts.add(max(0, found.start() - match.start()))
    return sorted(starts, key=lambda p: abs(p - expected))[:MAX_CANDIDATES]


def _refine(body: str, quote: str, start: int) -> tuple[int, int, float]:
    """The span near `start` that best matches the quote, and the quote's
    similarity there. The span's ends come from the first and last runs of
    text shared with the quote, either kept as found or stretched by the
    quote's unmatched head and tail; the best of those few spans wins."""
    slack = max(20, len(quote) // 3)
    lo = max(0, start - slack)
    window = body[lo : start + len(quote) + slack]
    blocks = [b for b in Indel.opcodes(window, quote).as_matching_blocks() if b.size >= 3]
    if not blocks:
        return start, min(len(body), start + len(quote)), 0.0
    first, last = blocks[0], blocks[-1]
    head = first.b  # quote characters before the first shared run
    tail = len(quote) - (last.b + last.size)
    starts = {lo + first.a, max(lo, lo + first.a - head)}
    ends = {lo + last.a + last.size, min(len(body), lo + last.a + last.size + tail)}
    best = (start, start, 0.0)
    for span_start in starts:
        for span_end in ends:
            a, b = _snap_to_words(body, span_start, span_end)
            if b <= a:
                continue
            score = _similarity(body[a:b], quote)
            if score > best[2]:
                best = (a, b, score)
    return best


def _snap_to_words(body: str, start: int, end: int) -> tuple[int, int]:
    """Do not cut a word in two at either end, nor keep surrounding spaces."""
    while start > 0 and body[start - 1].isalnum() and body[start].isalnum():
        start -= 1
    while end < len(body) and body[end - 1].isalnum() and body[end].isalnum():
        end += 1
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def reanchor(
    body: str,
    *,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    expected: int = 0,
    accept: float = ACCEPT_SCORE,
) -> AnchorAttempt:
    """Place a quote on a new text: exact first, then approximate. Work is
    bounded: at most MAX_CANDIDATES windows, each compared in O(n·m) of the
    quote's length, whatever the size of the text."""
    exact = _exact(body, quote, prefix, suffix, expected)
    if exact is not None:
        return AnchorAttempt(exact, 1.0)
    best: Placement | None = None
    best_score = 0.0
    for candidate in _candidate_starts(body, quote, expected):
        start, end, quote_score = _refine(body, quote, candidate)
        if end <= start:
            continue
        score = (
            0.6 * quote_score
            + 0.3 * _context_score(body, start, end, prefix, suffix)
            + 0.1 * _closeness(start, expected, len(body))
        )
        if quote_score < MIN_QUOTE_SIMILARITY:
            score = min(score, quote_score)
        if score > best_score:
            best_score = score
            best = Placement(start, end, round(score, 3), "approximate")
    if best is None or best_score < accept:
        return AnchorAttempt(
            None, round(best_score, 3), "no passage of the new text is close enough"
        )
    if numbers_in(body[best.start : best.end]) != numbers_in(quote):
        # A claim's figures come from its quote: a changed number is never
        # carried over by a guess, whatever the rest of the passage says.
        return AnchorAttempt(None, best.score, "the closest passage gives different numbers")
    return AnchorAttempt(best, best.score)


def numbers_in(text: str) -> list[str]:
    return sorted(_NUMBER_RE.findall(text))
