"""The audit report: PDF (its text read back with pypdf) and the HTML it is
rendered from."""

import io
import re

import pypdf
import pytest
from django.test import override_settings

from audit.models import AuditEvent
from audit.selectors import audit_verify_chain
from claims.models import Claim
from exports.formats.report_html import bar_chart
from exports.formats.report_pdf import BASE_URL, static_file_for
from tests.exports.world import bulk_claims, export_bytes


def _pdf_pages(data: bytes) -> list[str]:
    # Layout mode reads text by its position on the page, as a person would.
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return [page.extract_text(extraction_mode="layout") for page in pages]


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_it_renders_a_pdf_with_the_claims_verdicts_and_chain_result(world, analyst):
    chain = audit_verify_chain(world.workspace)
    data = export_bytes(workspace=world.workspace, actor=analyst, format="pdf")
    assert data.startswith(b"%PDF-")
    text = _squash(" ".join(_pdf_pages(data)))
    assert "more than 1,000 people were killed" in text
    assert 'blamed the violence on "individual actions"' in text
    assert "Verdict Corroborated" in text and "Verdict Unverified" in text
    assert "Audit chain Intact" in text
    assert f"Events checked {chain.events_checked}" in text
    assert chain.first_hash in text.replace(" ", "") and chain.last_hash in text.replace(" ", "")


def test_it_puts_scope_date_and_exporter_on_the_cover(world, analyst):
    first_page = _squash(
        _pdf_pages(export_bytes(workspace=world.workspace, actor=analyst, format="pdf"))[0]
    )
    assert "Scope workspace “Desk A”" in first_page
    assert "Exported by ana" in first_page
    assert re.search(r"Exported \d{4}-\d\d-\d\d \d\d:\d\d UTC", first_page)


def test_it_numbers_pages_and_repeats_the_running_header(world, analyst):
    pages = _pdf_pages(export_bytes(workspace=world.workspace, actor=analyst, format="pdf"))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}" in page
        assert "Audit report · Desk A" in page


@override_settings(EXPORT_PDF_PART_SIZE=10, EXPORT_CHUNK_SIZE=10)
def test_it_numbers_pages_on_across_parts_of_a_large_pdf(workspace, analyst):
    bulk_claims(workspace=workspace, user=analyst, count=25)
    data = export_bytes(workspace=workspace, actor=analyst, format="pdf")
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)  # a well-formed file
    assert reader.metadata.title == "Audit report · Desk A · workspace “Desk A”"
    pages = _pdf_pages(data)
    numbers = [int(re.search(r"Page (\d+)", page).group(1)) for page in pages]
    assert numbers == list(range(1, len(pages) + 1))
    text = " ".join(pages)
    assert all(f"12 killed ({i})" in text for i in range(25))


def test_it_prints_the_sha256_of_the_data(world, analyst):
    html = export_bytes(workspace=world.workspace, actor=analyst, format="html").decode()
    event = AuditEvent.objects.get(action="export")
    assert re.fullmatch(r"[0-9a-f]{64}", event.changes["data_sha256"])
    assert event.changes["data_sha256"] in html


def test_the_html_has_the_report_and_no_inline_style_or_script(world, analyst):
    html = export_bytes(workspace=world.workspace, actor=analyst, format="html").decode()
    assert '<link rel="stylesheet" href="http://testserver/static/css/report.css">' in html
    assert "<style" not in html and "style=" not in html and "<script" not in html
    assert "Attribution chain" in html and "Evidence" in html and "Audit history" in html
    assert "ab" * 32 in html  # the archived copy's hash


def test_the_html_escapes_user_text(world, analyst):
    Claim.objects.filter(pk=world.statement_claim.pk).update(rationale="<script>alert(1)</script>")
    html = export_bytes(workspace=world.workspace, actor=analyst, format="html").decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_draws_the_summary_chart_as_inline_svg(world, analyst):
    html = export_bytes(workspace=world.workspace, actor=analyst, format="html").decode()
    assert html.count("<svg") == 2
    assert 'aria-label="Claims by verdict"' in html


def test_bar_chart_scales_bars_to_the_largest_count():
    chart = bar_chart([("A", 10), ("B", 5), ("C", 0)], title="t")
    widths = [bar["width"] for bar in chart["bars"]]
    assert widths[0] == 2 * widths[1] and widths[2] == 0


def test_the_pdf_fetcher_serves_static_files_from_disk_only():
    assert static_file_for(BASE_URL + "static/css/report.css").endswith("static/css/report.css")
    for url in (
        "https://example.org/static/css/report.css",
        BASE_URL + "static/../workbench/settings.py",
        BASE_URL + "media/secret",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            static_file_for(url)


def test_it_wraps_long_urls_and_hashes_instead_of_clipping_them(world, analyst):
    data = export_bytes(workspace=world.workspace, actor=analyst, format="pdf")
    # Content order (not layout order): a wrapped cell's lines stay together.
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    text = "".join("".join(pages).split())
    assert "".join(world.evidence.url.split()) in text
    assert "ab" * 32 in text


def test_the_concatenated_pdf_has_an_exact_cross_reference_table(world, analyst):
    data = export_bytes(workspace=world.workspace, actor=analyst, format="pdf")
    xref_at = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[xref_at:].startswith(b"xref\n0 ")
    lines = data[xref_at:].split(b"\n")
    count = int(lines[1].split()[1])
    for number, entry in enumerate(lines[2 : 2 + count]):
        offset, _, state = entry.split()
        if state == b"n":
            assert data[int(offset) :].startswith(f"{number} 0 obj".encode()), number
