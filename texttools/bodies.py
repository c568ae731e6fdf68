"""Turning imported files into article bodies. Pure functions, no Django."""

from __future__ import annotations

import unicodedata

MAX_BODY_BYTES = 2 * 1024 * 1024


TEXT_EXTENSIONS = (".txt", ".md", ".markdown")


HTML_EXTENSIONS = (".html", ".htm")


class TextRejected(ValueError):
    """The input cannot become an article body; the message says why."""


def normalise_body(text: str) -> str:
    """One canonical form, so offsets mean the same thing everywhere:
    NFC Unicode, \\n line endings, no surrounding blank space."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def check_body(text: str) -> str:
    body = normalise_body(text)
    if not body:
        raise TextRejected("The article text is empty.")
    size = len(body.encode("utf-8"))
    if size > MAX_BODY_BYTES:
        raise TextRejected(
            f"The article text is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BODY_BYTES // 1024 // 1024} MB."
        )
    if "\x00" in body:
        raise TextRejected("The article text contains NUL bytes; is it a binary file?")
    return body


def decode_upload(data: bytes, filename: str) -> str:
    """Text from an uploaded .txt/.md/.html file, or TextRejected saying why not."""
    name = filename.lower()
    if not name.endswith(TEXT_EXTENSIONS + HTML_EXTENSIONS):
        raise TextRejected(
            f"“{filename}” is not a supported file; upload a .txt, .md or .html file."
        )
    if len(data) > MAX_BODY_BYTES * 2:
        raise TextRejected("The file is larger than 4 MB; the article text limit is 2 MB.")
    if b"\x00" in data[:8192]:
        raise TextRejected(f"“{filename}” looks like a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextRejected(
            f"“{filename}” is not UTF-8 text (invalid byte at position {exc.start})."
        ) from None
    if name.endswith(HTML_EXTENSIONS):
        text = html_to_text(text)
    return text


# HTML is reduced to text within bounded time and memory: trafilatura (which
# finds the main content, but builds and scores a whole tree: a 3.8 MB page
# took 9 s and 260 MB) only for pages up to this size; larger ones go through
# a streaming parser that keeps only the text.
MAIN_CONTENT_MAX_BYTES = 512 * 1024


# Work limits of the streaming parser: deeper nesting or more elements than
# any article has are refused with a clear message.
MAX_HTML_DEPTH = 256
MAX_HTML_ELEMENTS = 200_000


# Fed to the streaming parser this many characters at a time.
FEED_CHARS = 64 * 1024


SKIPPED_TAGS = {"script", "style", "noscript", "template", "head", "title", "svg", "math"}


BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
    "article", "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "header", "footer",
}  # fmt: skip


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: the main content when trafilatura
    finds one (pages up to MAIN_CONTENT_MAX_BYTES), else every text node with
    block elements as line breaks, read by a streaming parser within
    MAX_HTML_DEPTH and MAX_HTML_ELEMENTS (TextRejected beyond them)."""
    import trafilatura

    if len(html) <= MAIN_CONTENT_MAX_BYTES:
        plain = html_to_text_streaming(html)  # also enforces the work limits
        extracted = trafilatura.extract(html, include_comments=False, include_tables=False)
        if extracted and extracted.strip():
            return extracted
        return plain
    return html_to_text_streaming(html)


def html_to_text_streaming(html: str) -> str:
    """Every text node, block elements as line breaks, in one pass: elements
    are dropped as soon as their text is out, so memory holds the text and
    the open elements only.

    A text is read only once it is complete: an element's own text when its
    first child starts or it ends; a tail when the next sibling starts or
    the parent ends (the parser may have seen only part of it before)."""
    from lxml import etree

    parser = etree.HTMLPullParser(events=("start", "end"), no_network=True, recover=True)
    parts: list[str] = []
    open_elements: list[list] = []  # [element, its text read?]
    pending_tail: list = []  # [element, its tail shown?] of the element that ended last
    depth = elements = skipping = 0

    def read_tail() -> None:
        if not pending_tail:
            return
        element, shown = pending_tail.pop()
        if shown and element.tail:
            parts.append(element.tail)
        # Done with it: drop it and what came before it in its parent.
        parent = element.getparent()
        element.clear(keep_tail=False)
        while parent is not None and element.getprevious() is not None:
            del parent[0]

    def read_text(entry: list) -> None:
        element, done = entry
        if not done:
            entry[1] = True
            if not skipping and element.text:
                parts.append(element.text)

    def handle(event: str, element) -> None:
        nonlocal depth, elements, skipping
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            depth += 1
            elements += 1
            if depth > MAX_HTML_DEPTH:
                raise TextRejected(
                    f"The HTML is nested more than {MAX_HTML_DEPTH} levels deep; "
                    "save the page as text and upload that."
                )
            if elements > MAX_HTML_ELEMENTS:
                raise TextRejected(
                    f"The HTML has more than {MAX_HTML_ELEMENTS:,} elements; "
                    "save the page as text and upload that."
                )
            read_tail()
            if open_elements:
                read_text(open_elements[-1])
            open_elements.append([element, False])
            if tag in SKIPPED_TAGS:
                skipping += 1
            return
        depth -= 1
        read_tail()
        if open_elements:
            read_text(open_elements.pop())
        if tag in SKIPPED_TAGS:
            skipping = max(0, skipping - 1)
        if tag in BLOCK_TAGS:
            parts.append("\n")
        pending_tail.append([element, not skipping])

    for offset in range(0, len(html), FEED_CHARS):
        parser.feed(html[offset : offset + FEED_CHARS])
        for event, element in parser.read_events():
            handle(event, element)
    parser.close()
    for event, element in parser.read_events():
        handle(event, element)
    read_tail()
    text = "".join(parts)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
