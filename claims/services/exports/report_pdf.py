"""The audit report as PDF: the HTML report rendered by WeasyPrint.

WeasyPrint lays out a whole document in memory, so a large report is rendered
in parts of a few hundred claims and the parts joined with pypdf; each part
starts its page counter where the previous one ended, so page numbers run on.
Stylesheets come from the static files on disk through a URL fetcher that
refuses everything else: rendering never touches the network."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from pypdf import PdfReader, PdfWriter

from claims.services.exports.common import ExportContext, chunk_size, pdf_part_size
from claims.services.exports.report_html import CSS_PATH, ReportBuilder

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
    writer = PdfWriter()
    next_page = 1
    pending: list[str] = [builder.opening()]
    pending_claims = 0

    def flush(final: bool) -> None:
        nonlocal next_page, pending, pending_claims
        if final:
            pending.append(builder.closing())
        else:
            pending.append(builder.closing(with_verification=False))
        reader = PdfReader(io.BytesIO(_render_part("".join(pending), next_page)))
        writer.append(reader)
        next_page += len(reader.pages)
        pending = [builder.opening(with_cover=False)]
        pending_claims = 0

    for count, html in builder.claims():
        pending.append(html)
        pending_claims += count
        if pending_claims >= part_size:
            flush(final=False)
    flush(final=True)
    writer.add_metadata(
        {
            "/Title": f"Audit report · {ctx.workspace_name} · {ctx.scope_label}",
            "/Author": ctx.actor_name,
            "/Creator": "Claims Workbench",
        }
    )
    with tempfile.TemporaryFile() as out:
        writer.write(out)
        writer.close()
        out.seek(0)
        while block := out.read(BLOCK):
            yield block
