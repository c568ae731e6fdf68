"""The audit report as PDF: the HTML report rendered by WeasyPrint.

WeasyPrint lays out a whole document in memory, so a large report is rendered
in parts of a hundred claims, and each part's pages are copied into the
output file as soon as it is rendered (PdfConcatenator), so memory stays one
part wide however long the report. Each part starts its page counter where
the previous one ended, so page numbers run on.
Stylesheets come from the static files on disk through a URL fetcher that
refuses everything else: rendering never touches the network."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import IO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

from exports.context import ExportContext, chunk_size, pdf_part_size
from exports.formats.report_html import CSS_PATH, ReportBuilder

CONTENT_TYPE = "application/pdf"


EXTENSION = "pdf"


# A made-up origin: relative URLs in the report resolve against it, and the
# fetcher serves its /static/ paths from disk. ".invalid" never resolves.
BASE_URL = "https://report.invalid/"


BLOCK = 64 * 1024


def static_file_for(url: str) -> str:
    """The path on disk of one of the report's static files; ValueError for
    any other URL (WeasyPrint then skips the resource with a warning)."""
    parts = urlsplit(url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(static_prefix):
        raise ValueError(f"The report may only load its own static files, not {url}")
    relative = parts.path.removeprefix(static_prefix)
    if ".." in relative.split("/"):
        raise ValueError(f"Refused path {relative}")
    path = finders.find(relative)
    if not path:
        raise ValueError(f"No static file {relative}")
    return path


def static_files_fetcher():
    """A WeasyPrint URL fetcher that serves static files from disk and refuses
    everything else. WeasyPrint is imported here, not at start-up: it is slow
    to import and only the PDF needs it."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_for(url)
            with open(path, "rb") as file:
                data = file.read()
            content_type = "text/css" if path.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": content_type})

    return StaticFilesFetcher(timeout=1, allow_redirects=False)


class PdfConcatenator:
    """Write the pages of several PDFs into one PDF file, one source at a time.

    pypdf's PdfWriter keeps every page of every source in memory until the end;
    this writes each source's page objects (and whatever they use: contents,
    fonts, images) to the file at once, renumbered, and keeps only their byte
    offsets. Only pages are carried over, without link annotations; each
    source's catalog, outline and metadata are not (the report has none worth
    keeping, and its links are printed as text)."""

    CATALOG, PAGES = 1, 2

    def __init__(self, out: IO[bytes]):
        self.out = out
        self.offsets: dict[int, int] = {}
        self.page_ids: list[int] = []
        self.next_id = 3
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, number: int, obj) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def append(self, data: bytes) -> int:
        """Copy all pages of one PDF; returns how many."""
        reader = PdfReader(io.BytesIO(data))
        numbers: dict[int, int] = {}
        pending: list[int] = []

        def renumbered(ref: IndirectObject) -> IndirectObject:
            if ref.idnum not in numbers:
                numbers[ref.idnum] = self.next_id
                self.next_id += 1
                pending.append(ref.idnum)
            return IndirectObject(numbers[ref.idnum], 0, None)

        def rewrite(obj):
            if isinstance(obj, IndirectObject):
                return renumbered(obj)
            if isinstance(obj, DictionaryObject):
                for key in list(obj.keys()):
                    obj[key] = rewrite(obj.raw_get(key))
            elif isinstance(obj, ArrayObject):
                for index, item in enumerate(obj):
                    obj[index] = rewrite(item)
            return obj

        pages = list(reader.pages)
        source_page_ids = set()
        for page in pages:
            renumbered(page.indirect_reference)
            source_page_ids.add(page.indirect_reference.idnum)
        while pending:
            idnum = pending.pop()
            obj = reader.get_object(idnum)
            if obj is None:
                obj = NullObject()
            if idnum in source_page_ids:
                # Points at this file's page tree instead of the source's.
                obj[NameObject("/Parent")] = IndirectObject(self.PAGES, 0, None)
                obj.pop(NameObject("/Annots"), None)
            self._write(numbers[idnum], rewrite(obj))
        self.page_ids.extend(numbers[page.indirect_reference.idnum] for page in pages)
        return len(pages)

    def close(self, info: dict[str, str]) -> None:
        """Write the page tree, catalog, metadata, cross-reference table and trailer."""
        kids = ArrayObject(IndirectObject(n, 0, None) for n in self.page_ids)
        pages = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): kids,
                NameObject("/Count"): NumberObject(len(self.page_ids)),
            }
        )
        self._write(self.PAGES, pages)
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(self.PAGES, 0, None),
            }
        )
        self._write(self.CATALOG, catalog)
        info_id = self.next_id
        self._write(
            info_id,
            DictionaryObject({NameObject(k): TextStringObject(v) for k, v in info.items()}),
        )
        size = info_id + 1
        xref = self.out.tell()
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        for number in range(1, size):
            offset = self.offsets.get(number)
            lines.append(
                f"{offset:010d} 00000 n \n" if offset is not None else "0000000000 65535 f \n"
            )
        self.out.write("".join(lines).encode("ascii"))
        self.out.write(
            f"trailer\n<< /Size {size} /Root {self.CATALOG} 0 R /Info {info_id} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n".encode("ascii")
        )


def _render_part(html: str, first_page: int) -> bytes:
    from weasyprint import CSS, HTML

    counter = CSS(string=f"@page:first {{ counter-reset: page {first_page}; }}")
    return HTML(string=html, base_url=BASE_URL, url_fetcher=static_files_fetcher()).write_pdf(
        stylesheets=[counter]
    )


def generate(ctx: ExportContext) -> Iterator[bytes]:
    part_size = pdf_part_size()
    # Read claims in chunks no larger than a part, so each part is rendered
    # as soon as it is complete.
    builder = ReportBuilder(
        ctx,
        css_href=static(CSS_PATH),
        for_print=True,
        batch_size=min(part_size, chunk_size()),
    )
    with tempfile.TemporaryFile() as out:
        pdf = PdfConcatenator(out)
        pending: list[str] = [builder.opening()]
        pending_claims = 0

        def flush(*, final: bool) -> None:
            nonlocal pending, pending_claims
            pending.append(builder.closing(with_verification=final))
            first_page = len(pdf.page_ids) + 1
            pdf.append(_render_part("".join(pending), first_page))
            pending = [builder.opening(with_cover=False)]
            pending_claims = 0

        for count, html in builder.claims():
            pending.append(html)
            pending_claims += count
            if pending_claims >= part_size:
                flush(final=False)
        flush(final=True)
        pdf.close(
            {
                "/Title": f"Audit report · {ctx.workspace_name} · {ctx.scope_label}",
                "/Author": ctx.actor_name,
                "/Creator": "Claims Workbench",
                "/Producer": "WeasyPrint and Claims Workbench",
            }
        )
        out.seek(0)
        while block := out.read(BLOCK):
            yield block
