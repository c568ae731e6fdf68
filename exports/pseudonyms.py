"""Pseudonyms for protected sources: "Witness A", "Witness B"... in every export.

A protected source's names (its name and aliases now, and every name and
alias it has had before, which the caller reads from its history) are
replaced wherever they occur as whole words in any text an export carries
(quotes, statements, excerpts, notes, labels, history). Matching is done on a
folded copy of the text, so no spelling of a name slips through:

- Unicode: NFC, then NFKC per character, case-folded (so a name typed in
  decomposed form, in full-width letters or with a ligature still matches),
  with invisible format characters (zero-width spaces and joiners) ignored;
- separators: any run of spaces, hyphens, underscores, dots or plus signs
  between the words of a name ("ali-sheha", "Ali_Sheha", "ali+sheha");
- addresses: a URL, or any word holding percent-escapes, is decoded (several
  times, so double encoding does not hide a name) and withheld whole when the
  decoded form names a protected source; `url()` does the same for fields
  that hold only an address.

Labels are handed out in the order of the sources' ids, so they are stable
within one export and between two exports of the same workspace.

Pure: no Django imports, so the rules are tested on plain strings.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

PSEUDONYM_PREFIX = "Witness"


# What replaces an address that names a protected source.
WITHHELD_URL = "[address withheld: it names a protected source]"


# Between the words of a name: whitespace, the separators of URL slugs, or
# nothing at all ("alisheha", or words joined by an invisible character).
SEPARATORS = r"[\s\-_.+]*"


SPLIT = r"[\s\-_.+]+"


# A word holding "://", "www.", "xn--" or a percent-escape may be an address:
# it is decoded and checked whole. Words end at spaces and these characters.
ADDRESS_MARKS = re.compile(r"://|www\.|xn--|%[0-9a-f]{2}", re.IGNORECASE)


WORD_ENDS = frozenset("<>\"'()[]{}")


# Typographic variants NFKC keeps apart, folded to the plain character.
VARIANTS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})


# How many rounds of percent-decoding an address gets (double encoding...).
DECODE_ROUNDS = 4


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: spreadsheet column names."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@functools.lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    if unicodedata.category(char) == "Cf":
        return ""
    return unicodedata.normalize("NFKC", char.translate(VARIANTS)).casefold()


def fold(text: str) -> tuple[str, list[int] | None]:
    """The folded copy of `text` (already NFC) and, for each of its
    characters, the index of the character of `text` it came from (None when
    every character folds to exactly one: the common case, done in C by
    str.translate)."""
    if text.isascii():
        return text.lower(), None
    table = {ord(c): (c.lower() if c.isascii() else _fold_char(c)) for c in set(text)}
    if all(len(folded) == 1 for folded in table.values()):
        return text.translate(table), None
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = table[ord(char)]
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


def _key(term: str) -> str:
    """A name's lookup key: folded, its words joined by single spaces."""
    folded, _ = fold(unicodedata.normalize("NFC", term))
    return " ".join(w for w in re.split(SPLIT, folded) if w)


def decoded_forms(value: str) -> list[str]:
    """The address as written and each round of percent-decoding it (plain
    and with + as a space), and its host name in Unicode when it is IDNA."""
    forms = [value]
    current = value
    for _ in range(DECODE_ROUNDS):
        plain, plus = unquote(current), unquote_plus(current)
        forms.extend(f for f in (plain, plus) if f not in forms)
        if plain == current:
            break
        current = plain
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        host = ""
    if "xn--" in host:
        with contextlib.suppress(UnicodeError, ValueError):
            forms.append(host.encode("ascii").decode("idna"))
    return forms


def _is_word_end(char: str) -> bool:
    return char.isspace() or char in WORD_ENDS


def _address_words(text: str):
    """(start, end) of each word holding an address mark, in one pass: each
    character is looked at a bounded number of times, however long the text."""
    done = 0
    for mark in ADDRESS_MARKS.finditer(text):
        if mark.start() < done:
            continue
        start, end = mark.start(), mark.end()
        while start > done and not _is_word_end(text[start - 1]):
            start -= 1
        while end < len(text) and not _is_word_end(text[end]):
            end += 1
        yield start, end
        done = end


@dataclass(frozen=True)
class ProtectedSource:
    id: int
    name: str
    aliases: tuple[str, ...] = ()
    # Names and aliases it had before (from its history); covered the same way.
    former_names: tuple[str, ...] = ()

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.former_names)


class OffsetMap:
    """Maps offsets in a text to offsets in its pseudonymised version.

    `spans` holds (old_start, old_end, new_start, new_end) of each replaced name,
    in text order. An offset inside a replaced name moves to the start of the
    pseudonym when it opens a span, to its end when it closes one, so a quote
    that began or ended inside a name takes the whole pseudonym, never half."""

    def __init__(self, spans: tuple[tuple[int, int, int, int], ...] = ()):
        self.spans = spans
        self._starts = [span[0] for span in spans]

    def __call__(self, offset: int, *, closing: bool = False) -> int:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        old_start, old_end, new_start, new_end = self.spans[index]
        if offset == old_start:
            return new_start
        if offset < old_end:
            return new_end if closing else new_start
        return offset + (new_end - old_end)


class Pseudonymiser:
    """Replace protected names; an inactive one (no protected source, or real
    names chosen by an admin) returns every text unchanged."""

    def __init__(self, protected: Iterable[ProtectedSource] = ()):
        self.labels: dict[int, str] = {}
        terms: dict[str, str] = {}
        for index, source in enumerate(sorted(protected, key=lambda s: s.id)):
            label = f"{PSEUDONYM_PREFIX} {_letters(index)}"
            self.labels[source.id] = label
            for term in source.all_names:
                key = _key(str(term))
                if key:
                    terms.setdefault(key, label)
        self._terms = terms
        # The same keys without separators, to label "alisheha" too.
        self._compact: dict[str, str] = {}
        for key, label in terms.items():
            self._compact.setdefault(key.replace(" ", ""), label)
        self._pattern = None
        if terms:
            # Longest first, so "Ali Sheha" wins over an alias "Ali". A name is
            # whole when no letter or digit touches it on either side.
            alternatives = sorted(terms, key=len, reverse=True)
            body = "|".join(SEPARATORS.join(re.escape(w) for w in t.split()) for t in alternatives)
            self._pattern = re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])")

    @property
    def active(self) -> bool:
        return self._pattern is not None

    @property
    def names_covered(self) -> int:
        """How many distinct spellings (keys) are replaced."""
        return len(self._terms)

    def _label_for_key(self, folded: str) -> str:
        compact = re.sub(SPLIT, "", folded)
        return self._compact.get(compact, f"{PSEUDONYM_PREFIX} (protected)")

    def names_a_protected_source(self, value: str) -> bool:
        """Whether the text, or any decoding of it, holds a protected name."""
        if not self._pattern or not value:
            return False
        for form in decoded_forms(value):
            folded, _ = fold(unicodedata.normalize("NFC", form).translate(VARIANTS))
            if self._pattern.search(folded):
                return True
        return False

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, replacement) in `text` (NFC), in order, not overlapping."""
        spans: list[tuple[int, int, str]] = []
        # Addresses first: one that names a protected source is withheld whole.
        for start, end in _address_words(text):
            if self.names_a_protected_source(text[start:end]):
                spans.append((start, end, WITHHELD_URL))
        withheld = [(s, e) for s, e, _ in spans]
        folded, origin = fold(text)
        for match in self._pattern.finditer(folded):
            if origin is None:
                start, end = match.span()
            else:
                start, end = origin[match.start()], origin[match.end() - 1] + 1
            if any(s < end and start < e for s, e in withheld):
                continue
            spans.append((start, end, self._label_for_key(match.group(0))))
        spans.sort()
        return spans

    def text(self, value: str) -> str:
        if not self._pattern or not value:
            return value
        return self.text_with_offsets(value)[0]

    def text_with_offsets(self, value: str) -> tuple[str, OffsetMap]:
        """The pseudonymised text and the map from old offsets to new ones.
        The text is read in NFC (article bodies are stored so already)."""
        if not self._pattern or not value:
            return value, OffsetMap()
        value = unicodedata.normalize("NFC", value)
        parts: list[str] = []
        spans: list[tuple[int, int, int, int]] = []
        position = new_length = 0
        for start, end, label in self._spans(value):
            if start < position:
                continue
            parts.append(value[position:start])
            new_length += start - position
            spans.append((start, end, new_length, new_length + len(label)))
            parts.append(label)
            new_length += len(label)
            position = end
        parts.append(value[position:])
        return "".join(parts), OffsetMap(tuple(spans))

    def url(self, value: str) -> str:
        """An address field: kept when no decoding of it names a protected
        source, else withheld whole ("" for machine formats to omit)."""
        if self.names_a_protected_source(value or ""):
            return ""
        return value

    def value(self, value: Any) -> Any:
        """Any JSON-like value with every string in it pseudonymised."""
        if not self._pattern:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value

    def source_name(self, source_id: int | None, name: str) -> str:
        if source_id in self.labels:
            return self.labels[source_id]
        return self.text(name)

    def is_protected(self, source_id: int | None) -> bool:
        return source_id in self.labels
