"""Anchoring claims in article text (W3C Web Annotation selectors). Pure."""

from __future__ import annotations

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
