"""What a PDF reader relies on, checked with pikepdf (qpdf) and qpdf --check:
one page tree, the outline, the structure tree (tags), language, title, XMP."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field

import pikepdf


@dataclass
class PdfFacts:
    pages: int = 0
    parents_are_the_page_tree: bool = False
    page_count_matches: bool = False
    outline_titles: list[str] = field(default_factory=list)
    outline_dests_are_pages: bool = False
    lang: str = ""
    marked: bool = False
    has_struct_tree: bool = False
    struct_elements: int = 0
    struct_bad_parent: int = 0
    struct_bad_page: int = 0
    struct_ids_unique: bool = False
    struct_parents_in_parent_tree: bool = False
    display_doc_title: bool = False
    title: str = ""
    xmp_pdfua_part: str | None = None
    xmp_pages_match: bool | None = None
    xmp_title: str = ""


def pdf_facts(path) -> PdfFacts:
    facts = PdfFacts()
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        page_tree = root.Pages
        page_ids = {page.obj.objgen for page in pdf.pages}
        facts.pages = len(pdf.pages)
        facts.parents_are_the_page_tree = all(
            page.obj.Parent.objgen == page_tree.objgen for page in pdf.pages
        )
        facts.page_count_matches = int(page_tree.Count) == len(pdf.pages)
        dests_ok = True
        if "/Outlines" in root and "/First" in root.Outlines:
            stack = [root.Outlines.First]
            while stack:
                item = stack.pop()
                facts.outline_titles.append(str(item.Title))
                dest = item.get("/Dest")
                if dest is None or dest[0].objgen not in page_ids:
                    dests_ok = False
                if "/Next" in item:
                    stack.append(item.Next)
                if "/First" in item:
                    stack.append(item.First)
        facts.outline_dests_are_pages = dests_ok and bool(facts.outline_titles)
        facts.lang = str(root.get("/Lang", ""))
        mark_info = root.get("/MarkInfo")
        facts.marked = bool(mark_info is not None and mark_info.get("/Marked", False))
        preferences = root.get("/ViewerPreferences")
        facts.display_doc_title = bool(
            preferences is not None and preferences.get("/DisplayDocTitle", False)
        )
        if "/Info" in pdf.trailer:
            facts.title = str(pdf.trailer.Info.get("/Title", ""))
        if "/Metadata" in root:
            xmp = root.Metadata.read_bytes().decode("utf-8", "replace")
            part = re.search(r"pdfuaid:part[>=\"']+(\d)", xmp)
            facts.xmp_pdfua_part = part.group(1) if part else None
            pages = re.search(r"<xmpTPg:NPages>(\d+)<", xmp)
            facts.xmp_pages_match = None if not pages else int(pages.group(1)) == facts.pages
            title = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S)
            facts.xmp_title = title.group(1) if title else ""
        facts.has_struct_tree = "/StructTreeRoot" in root
        if facts.has_struct_tree:
            _struct_facts(root.StructTreeRoot, pdf, page_ids, facts)
    return facts


def _struct_facts(struct_root, pdf, page_ids, facts: PdfFacts) -> None:
    keys = {key for key, _ in pikepdf.NumberTree(struct_root.ParentTree).items()}
    used = [int(page.obj.StructParents) for page in pdf.pages if "/StructParents" in page.obj]
    facts.struct_parents_in_parent_tree = all(k in keys for k in used) and len(set(used)) == len(
        used
    )
    ids = []
    stack = [(struct_root, struct_root.K)]
    while stack:
        parent, kids = stack.pop()
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                continue  # marked-content references and object references
            facts.struct_elements += 1
            if kid.get("/P") is None or kid.P.objgen != parent.objgen:
                facts.struct_bad_parent += 1
            if "/Pg" in kid and kid.Pg.objgen not in page_ids:
                facts.struct_bad_page += 1
            if "/ID" in kid:
                ids.append(bytes(kid.ID))
            if "/K" in kid:
                stack.append((kid, kid.K))
    facts.struct_ids_unique = len(ids) == len(set(ids))


def qpdf_check(path) -> str:
    """qpdf --check's verdict: "ok", or what it complained about."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        raise AssertionError("qpdf is not installed (Debian package qpdf; see .ci/run)")
    done = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    if done.returncode == 0 and "No syntax or stream encoding errors" in done.stdout:
        return "ok"
    return (done.stdout + done.stderr)[-600:]


# The report isolates inline user text with FSI…PDI (U+2068, U+2069) so
# right-to-left names do not reorder their neighbours; invisible, but in the
# text layer.
ISOLATES = dict.fromkeys([0x2066, 0x2067, 0x2068, 0x2069])


def pdf_text(path, *, layout: bool = True) -> str:
    """The text as pdftotext (poppler) reads it: laid out line by line, or in
    the order the content streams draw it (a wrapped cell's lines together)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        raise AssertionError("pdftotext is not installed (Debian package poppler-utils)")
    mode = "-layout" if layout else "-raw"
    done = subprocess.run(
        [pdftotext, mode, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8").translate(ISOLATES)
