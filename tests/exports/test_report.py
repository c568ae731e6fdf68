"""The audit report: the PDF (drawn by Typst, joined from parts; checked with
pikepdf, qpdf --check and pdftotext) and the standalone HTML."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from audit.selectors import audit_verify_chain
from claims.models import Article, Claim
from exports.checks import pdf_fonts_installed
from exports.exceptions import ExportFailed
from exports.formats.report_html import bar_chart, report_css, style_csp_source
from exports.formats.report_pdf import missing_fonts, printable
from tests.exports.pdfcheck import pdf_facts, pdf_text, qpdf_check
from tests.exports.world import WARC_SHA256, bulk_claims, export_bytes

ARABIC_QUOTE = "قال مرصد حقوقي إن 12 شخصاً قُتلوا في الهجوم على السوق"


@pytest.fixture
def pdf_of(tmp_path):
    """Export a PDF and keep it as a file for the checkers."""

    def make(**kwargs):
        path = tmp_path / "report.pdf"
        path.write_bytes(export_bytes(format="pdf", **kwargs))
        return path

    return make


def _squash(text: str) -> str:
    return " ".join(text.split())


def _pages(path) -> list[str]:
    return pdf_text(path).split("\f")


def test_it_renders_a_pdf_with_the_claims_verdicts_and_chain_result(world, analyst, pdf_of):
    chain = audit_verify_chain(world.workspace)
    path = pdf_of(workspace=world.workspace, actor=analyst)
    assert path.read_bytes().startswith(b"%PDF-")
    text = _squash(pdf_text(path))
    assert "more than 1,000 people were killed" in text
    assert 'blamed the violence on "individual actions"' in text
    assert "Verdict Corroborated" in text and "Verdict Unverified" in text
    assert "Audit chain Intact" in text
    assert f"Events checked {chain.events_checked}" in text
    squashed = text.replace(" ", "")
    assert chain.first_hash in squashed and chain.last_hash in squashed


def test_it_puts_scope_date_and_exporter_on_the_cover(world, analyst, pdf_of):
    first_page = _squash(_pages(pdf_of(workspace=world.workspace, actor=analyst))[0])
    assert "Scope workspace “Desk A”" in first_page
    assert "Exported by ana" in first_page
    assert re.search(r"Exported \d{4}-\d\d-\d\d \d\d:\d\d UTC", first_page)


def test_it_numbers_pages_and_repeats_the_running_header(world, analyst, pdf_of):
    pages = [p for p in _pages(pdf_of(workspace=world.workspace, actor=analyst)) if p.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}" in page
        assert "Audit report · Desk A" in page


def test_the_pdf_is_one_tagged_document_with_an_outline_per_claim(world, analyst, pdf_of):
    facts = pdf_facts(pdf_of(workspace=world.workspace, actor=analyst))
    assert facts.parents_are_the_page_tree and facts.page_count_matches
    claims = Claim.objects.filter(workspace=world.workspace)
    assert sorted(t for t in facts.outline_titles if t.startswith("Claim")) == sorted(
        f"Claim #{c.pk}" for c in claims
    )
    assert facts.outline_dests_are_pages
    assert facts.lang == "en"
    assert facts.marked and facts.has_struct_tree and facts.struct_elements > 50
    assert facts.display_doc_title
    assert facts.title == "Audit report · Desk A · workspace “Desk A”"
    assert facts.xmp_pdfua_part == "1" and facts.xmp_pages_match


@override_settings(EXPORT_PDF_PART_SIZE=10, EXPORT_CHUNK_SIZE=10)
def test_parts_join_into_one_page_tree_one_structure_tree_and_one_outline(
    workspace, analyst, pdf_of
):
    bulk_claims(workspace=workspace, user=analyst, count=25)
    path = pdf_of(workspace=workspace, actor=analyst)
    assert qpdf_check(path) == "ok"
    facts = pdf_facts(path)
    assert facts.parents_are_the_page_tree and facts.page_count_matches
    assert len([t for t in facts.outline_titles if t.startswith("Claim #")]) == 25
    assert "Summary" in facts.outline_titles and "Verification" in facts.outline_titles
    assert facts.outline_dests_are_pages
    assert facts.struct_bad_parent == 0 and facts.struct_bad_page == 0
    assert facts.struct_ids_unique and facts.struct_parents_in_parent_tree
    assert facts.lang == "en" and facts.marked and facts.display_doc_title
    assert facts.xmp_pdfua_part == "1" and facts.xmp_pages_match
    pages = [p for p in _pages(path) if p.strip()]
    numbers = [int(re.search(r"Page (\d+)", page).group(1)) for page in pages]
    assert numbers == list(range(1, len(pages) + 1))
    text = _squash(" ".join(pages))
    assert all(f"12 killed ({i})" in text for i in range(25))
    assert text.count("Audit chain") == 1  # the verification, once, at the end


def test_it_prints_user_text_literally_never_as_typst_markup(world, analyst, pdf_of):
    probes = [
        '#read("/etc/passwd")',
        '#import "x": *',
        "] [ $x^2$ @claim-1 <lbl>",
        "*strong* _emph_ `raw` = heading",
        "#set page(fill: red) #(1 + 1) {{ template }} {% tag %} \\ back\\slash",
        "<script>alert('x')</script>",
    ]
    Claim.objects.filter(pk=world.statement_claim.pk).update(
        rationale="\n".join(probes), statement="A\x07B\ufffe C"
    )
    text = _squash(pdf_text(pdf_of(workspace=world.workspace, actor=analyst)))
    for probe in probes:
        assert _squash(probe) in text
    assert "AB C" in text  # a control and a noncharacter removed, nothing else


def test_printable_drops_controls_and_noncharacters_only():
    assert printable({"a": ["x\x00y\x1f\ufffe", "ok\n\tقال"]}) == {"a": ["xy", "ok\n\tقال"]}


def test_it_shows_an_arabic_claim_right_to_left_in_a_font_that_has_it(
    workspace, analyst, monitor, pdf_of
):
    article = Article.objects.create(
        workspace=workspace,
        title="تقرير من الساحل",
        body=ARABIC_QUOTE + ".",
        body_sha256="0" * 64,
        imported_by=analyst,
    )
    Claim.objects.create(
        workspace=workspace,
        article=article,
        quote=ARABIC_QUOTE,
        start=0,
        end=len(ARABIC_QUOTE),
        source=monitor,
        statement="المرصد: 12 قتيلاً",
        created_by=analyst,
    )
    path = pdf_of(workspace=workspace, actor=analyst)
    facts = pdf_facts(path)
    assert facts.xmp_pdfua_part == "1"  # every glyph had a font
    text = pdf_text(path)
    assert "الساحل" in text and "المرصد" in text


def test_it_refuses_clearly_when_a_font_is_missing(world, analyst, tmp_path, settings):
    settings.EXPORT_PDF_FONT_DIRS = [str(tmp_path)]
    assert "Amiri-Regular.ttf" in missing_fonts()
    with pytest.raises(ExportFailed, match="fonts-hosny-amiri"):
        export_bytes(workspace=world.workspace, actor=analyst, format="pdf")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_it_prints_the_sha256_of_the_data(world, analyst):
    html = export_bytes(workspace=world.workspace, actor=analyst, format="html").decode()
    event = AuditEvent.objects.get(action="export")
    assert re.fullmatch(r"[0-9a-f]{64}", event.changes["data_sha256"])
    assert event.changes["data_sha256"] in html


def test_the_pdf_and_the_html_show_the_same_records(world, analyst, pdf_of):
    pdf_of(workspace=world.workspace, actor=analyst)
    export_bytes(workspace=world.workspace, actor=analyst, format="html")
    hashes = [e.changes["data_sha256"] for e in AuditEvent.objects.filter(action="export")]
    assert len(hashes) == 2 and hashes[0] == hashes[1]


def test_the_html_is_standalone_with_its_stylesheet_inlined(world, analyst):
    html = export_bytes(workspace=world.workspace, actor=analyst, format="html").decode()
    assert f"<style>{report_css()}</style>" in html
    assert "<link" not in html and "http://" not in html.split("</style>")[0]
    assert "style=" not in html and "<script" not in html
    assert "Attribution chain" in html and "Evidence" in html and "Audit history" in html


@override_settings(DEBUG=False)
def test_the_html_keeps_its_style_with_debug_off(world, analyst):
    html = export_bytes(workspace=world.workspace, actor=analyst, format="html").decode()
    assert ".claim {" in html and "<link" not in html


def test_the_in_app_html_report_allows_only_its_own_style(world, analyst, client_for):
    response = client_for(analyst).post(
        reverse("export_create", args=[world.workspace.slug]), {"format": "html"}
    )
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src"))
    assert style_csp_source() in style_src and "unsafe-inline" not in style_src
    assert "script-src" in policy


def test_the_html_names_both_archive_hashes(world, analyst):
    html = export_bytes(workspace=world.workspace, actor=analyst, format="html").decode()
    assert "WARC file" in html and WARC_SHA256 in html  # the file a download gives
    assert "Page body" in html and "ab" * 32 in html  # the archived page itself


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


def test_it_wraps_long_urls_and_hashes_instead_of_clipping_them(world, analyst, pdf_of):
    path = pdf_of(workspace=world.workspace, actor=analyst)
    text = "".join(pdf_text(path, layout=False).split())
    assert "".join(world.evidence.url.split()) in text
    assert "ab" * 32 in text and WARC_SHA256 in text


def test_start_up_warns_when_the_pdf_fonts_are_missing(settings, tmp_path):
    assert pdf_fonts_installed(None) == []
    settings.EXPORT_PDF_FONT_DIRS = [str(tmp_path)]
    [warning] = pdf_fonts_installed(None)
    assert warning.id == "exports.W001" and "fonts-noto-core" in warning.hint
