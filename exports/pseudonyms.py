"""Pseudonyms for protected sources: "Witness A", "Witness B"... in every export.

A protected source's name and each of its aliases are replaced wherever they
occur as whole words, case-insensitively, in any text an export carries
(quotes, statements, excerpts, notes, labels, history). Labels are handed out
in the order of the sources' ids, so they are stable within one export and
between two exports of the same workspace.

Pure: no Django imports, so the rules are tested on plain strings.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PSEUDONYM_PREFIX = "Witness"


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: spreadsheet column names."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _key(term: str) -> str:
    return " ".join(term.split()).casefold()


@dataclass(frozen=True)
class ProtectedSource:
    id: int
    name: str
    aliases: tuple[str, ...] = ()


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
            for term in (source.name, *source.aliases):
                if _key(term):
                    terms.setdefault(_key(term), label)
        self._terms = terms
        self._pattern = None
        if terms:
            # Longest first, so "Ali Sheha" wins over an alias "Ali"; any run of
            # whitespace inside a name matches, as line breaks split names in texts.
            alternatives = sorted(terms, key=len, reverse=True)
            body = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in alternatives)
            self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)

    @property
    def active(self) -> bool:
        return self._pattern is not None

    def _label_for(self, match: re.Match) -> str:
        return self._terms.get(_key(match.group(0)), f"{PSEUDONYM_PREFIX} (protected)")

    def text(self, value: str) -> str:
        if not self._pattern or not value:
            return value
        return self._pattern.sub(self._label_for, value)

    def text_with_offsets(self, value: str) -> tuple[str, OffsetMap]:
        """The pseudonymised text and the map from old offsets to new ones."""
        if not self._pattern or not value:
            return value, OffsetMap()
        parts: list[str] = []
        spans: list[tuple[int, int, int, int]] = []
        position = new_length = 0
        for match in self._pattern.finditer(value):
            parts.append(value[position : match.start()])
            new_length += match.start() - position
            label = self._label_for(match)
            spans.append((match.start(), match.end(), new_length, new_length + len(label)))
            parts.append(label)
            new_length += len(label)
            position = match.end()
        parts.append(value[position:])
        return "".join(parts), OffsetMap(tuple(spans))

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
