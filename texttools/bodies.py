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


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: the main content when trafilatura
    finds one, else every text node with block elements as line breaks."""
    import trafilatura
    from lxml import html as lxml_html

    extracted = trafilatura.extract(html, include_comments=False, include_tables=False)
    if extracted and extracted.strip():
        return extracted
    try:
        tree = lxml_html.fromstring(html)
    except Exception:
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for block in tree.xpath("//p|//div|//br|//li|//h1|//h2|//h3|//h4|//h5|//h6|//tr"):
        block.tail = "\n" + (block.tail or "")
    return "\n".join(line.strip() for line in tree.text_content().splitlines() if line.strip())
