"""Reading numbers written in digits or words ("1,000", "thirty-five", "two dozen")."""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
}

# Vague plurals are recorded as their unit with a qualifier that says so
# (labelled/FORMAT.md): "dozens of" is 12 dozens, "hundreds of" 100 hundreds;
# "scores of" is 20 dozens. A sum over claims then uses the unit as the floor.
VAGUE: dict[str, tuple[int, str]] = {
    "dozens": (12, "dozens"),
    "several dozen": (12, "dozens"),
    "scores": (20, "dozens"),
    "hundreds": (100, "hundreds"),
    "several hundred": (100, "hundreds"),
    "thousands": (1_000, "thousands"),
    "several thousand": (1_000, "thousands"),
    "tens of thousands": (10_000, "thousands"),
    "hundreds of thousands": (100_000, "thousands"),
}

_WORDS = sorted([*UNITS, *TENS, *SCALES, "dozen"], key=len, reverse=True)
_WORD = r"(?:" + "|".join(_WORDS) + r")"
# "a" only counts as a number in front of a multiplier ("a dozen", "a hundred").
_WORD_NUMBER = (
    rf"(?:half\s+a\s+dozen|an?\s+(?:dozen|hundred|thousand|million)"
    rf"|{_WORD}(?:(?:\s+|-)(?:and\s+)?{_WORD})*)"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+(?:million|billion|thousand))?"
_VAGUE = (
    r"(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|several\s+(?:dozen|hundred|thousand)"
    r"|dozens|scores|hundreds|thousands)"
)

# Digits come first so "1,000" is never read as "1" followed by junk; the
# lookarounds keep us from starting inside a word or a longer number.
NUMBER_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<digits>{_DIGITS})|(?P<vague>{_VAGUE})|(?P<words>{_WORD_NUMBER}))(?![\w])",
    re.IGNORECASE,
)


def _as_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def parse_digits(text: str) -> int | float | None:
    """'1,000' -> 1000, '1.5 million' -> 1500000."""
    match = re.fullmatch(r"\s*([\d,]+(?:\.\d+)?)(?:\s+(million|billion|thousand))?\s*", text, re.I)
    if not match:
        return None
    try:
        value = float(match.group(1).replace(",", ""))
    except ValueError:
        return None
    if match.group(2):
        value *= SCALES[match.group(2).lower()]
    return _as_number(value)


def parse_words(text: str) -> int | None:
    """'thirty-five' -> 35, 'two dozen' -> 24, 'one hundred and twenty' -> 120."""
    tokens = [t for t in re.split(r"[\s-]+", text.lower().strip()) if t and t != "and"]
    if tokens[:3] == ["half", "a", "dozen"]:
        return 6
    if tokens and tokens[0] in {"a", "an"}:
        tokens[0] = "one"
    if not tokens:
        return None
    total = 0
    current = 0
    seen = False
    for token in tokens:
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token == "dozen":
            current = (current or 1) * 12
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in SCALES:
            total += (current or 1) * SCALES[token]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_vague(text: str) -> tuple[int, str] | None:
    """'dozens' -> (24, 'dozens'): a lower bound and the qualifier that says so."""
    key = re.sub(r"\s+", " ", text.lower().strip())
    return VAGUE.get(key)


def parse_number(text: str) -> int | float | None:
    """Any single number expression, digits, words or vague plural."""
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        return parse_digits(text)
    vague = parse_vague(text)
    if vague:
        return vague[0]
    return parse_words(text)
