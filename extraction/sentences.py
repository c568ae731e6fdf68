"""Splitting article text into sentences, keeping exact character offsets.

A quotation that closes later in the same paragraph is never split, so
'"We ran. They shot at us," she said.' is one sentence: the attribution at the
end belongs to every sentence inside the quote. Unbalanced quotes (the
newspaper habit of leaving a quote open across paragraphs) are ignored rather
than allowed to swallow the rest of the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_QUOTES = "“«„"
CLOSE_QUOTES = "”»"
STRAIGHT_QUOTE = '"'

# Tokens that end in a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "cpl",
        "pvt",
        "adm",
        "cmdr",
        "rep",
        "sen",
        "gov",
        "pres",
        "st",
        "jr",
        "sr",
        "rev",
        "fr",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
        "approx",
        "est",
        "dept",
        "govt",
        "univ",
        "inc",
        "co",
        "corp",
        "ltd",
    ]
)

_PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n(?=[ \t]*[a-z])[^\n]+)*")
_TRAILING_CLOSERS = "\"'”’»)]"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def _balanced(paragraph: str) -> bool:
    straight = paragraph.count(STRAIGHT_QUOTE) % 2 == 0
    curly = sum(paragraph.count(c) for c in OPEN_QUOTES) == sum(
        paragraph.count(c) for c in CLOSE_QUOTES
    )
    return straight and curly


def _is_abbreviation(text: str, dot: int) -> bool:
    # A short window keeps this constant-time however long the article is.
    match = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(0, dot - 24) : dot])
    if not match:
        return False
    word = match.group(1)
    if "." in word:  # "U.S", "U.N": letters joined by dots are initialisms
        return True
    if len(word) == 1 and word.isupper():  # an initial, "John F. Kennedy"
        return True
    return word.lower() in ABBREVIATIONS


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    paragraph = text[start:end]
    track_quotes = _balanced(paragraph)
    spans: list[tuple[int, int]] = []
    depth = 0
    straight_open = False
    sentence_start = start
    i = start
    while i < end:
        ch = text[i]
        if track_quotes:
            if ch in OPEN_QUOTES:
                depth += 1
            elif ch in CLOSE_QUOTES:
                depth = max(0, depth - 1)
            elif ch == STRAIGHT_QUOTE:
                straight_open = not straight_open
        if ch in ".!?…":
            if ch == "." and _is_abbreviation(text, i):
                i += 1
                continue
            j = i + 1
            while j < end and text[j] in ".!?…":
                j += 1
            while j < end and text[j] in _TRAILING_CLOSERS:
                if track_quotes:
                    if text[j] in CLOSE_QUOTES:
                        depth = max(0, depth - 1)
                    elif text[j] == STRAIGHT_QUOTE:
                        straight_open = not straight_open
                j += 1
            inside_quote = track_quotes and (depth > 0 or straight_open)
            at_end = j >= end
            followed = (
                j < end
                and text[j].isspace()
                and (
                    re.match(r"\s+[\"“«(\[A-Z0-9\u00C0-\u024F]", text[j : min(end, j + 3)])
                    is not None
                )
            )
            if not inside_quote and (at_end or followed):
                spans.append((sentence_start, j))
                k = j
                while k < end and text[k].isspace():
                    k += 1
                sentence_start = k
                i = k
                continue
            i = j
            continue
        i += 1
    if sentence_start < end:
        spans.append((sentence_start, end))
    return spans


# No real sentence is this long; capping it keeps every per-sentence step
# cheap on text that has lost its punctuation (tables, scraped lists).
MAX_SENTENCE = 1500


def _cap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with exact offsets; a newline followed by a capital ends one too."""
    sentences: list[Sentence] = []
    for number, match in enumerate(_PARAGRAPH_RE.finditer(text)):
        spans = _split_paragraph(text, match.start(), match.end())
        for s, e in (piece for span in spans for piece in _cap(text, *span)):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                sentences.append(Sentence(s, e, text[s:e], number))
    return sentences


def quoted_ranges(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation in a sentence, quote marks included."""
    ranges: list[tuple[int, int]] = []
    open_at: int | None = None
    closer = ""
    for i, ch in enumerate(sentence):
        if open_at is None:
            if ch in OPEN_QUOTES:
                open_at, closer = i, CLOSE_QUOTES
            elif ch == STRAIGHT_QUOTE:
                open_at, closer = i, STRAIGHT_QUOTE
        elif ch in closer or (closer == CLOSE_QUOTES and ch == STRAIGHT_QUOTE):
            ranges.append((open_at, i + 1))
            open_at = None
    return ranges


QUOTE_MASK = "\u2592"


def mask_quotes(sentence: str) -> str:
    """The sentence with quoted words blanked out, same length, so reporting
    verbs inside a quotation are never read as the attribution."""
    chars = list(sentence)
    for s, e in quoted_ranges(sentence):
        for k in range(s, e):
            chars[k] = QUOTE_MASK
    return "".join(chars)
