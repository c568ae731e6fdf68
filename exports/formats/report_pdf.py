"""The audit report as PDF: the report builder's records drawn by Typst.

The template (exports/typst/report.typ) receives the records as data, one
JSON document per part, and shows every string as text: user text is never
pasted into Typst source. Typst (the `typst` package) was chosen by
measurement: 1,000 claims in about 7 s, where WeasyPrint took 90 s.

typst-py never frees Typst's memoisation cache (about 1 MB per claim), so the
report is compiled in parts of EXPORT_PDF_PART_SIZE claims, each in a fresh
child process (exports/typst/compile_part.py), and the parts are joined into
one tagged PDF by exports.pdfjoin as they finish: memory stays one part wide
in this process and in each child. While part i+1 compiles in its child,
part i is joined here and the records of part i+2 are read.

Each part is a PDF/UA-1 document (tagged, with language, title shown and XMP
metadata); the join keeps one page tree, the structure tree, the outline
(one bookmark per claim), /Lang and the XMP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pikepdf

from exports.context import ExportContext, chunk_size, pdf_part_size
from exports.exceptions import ExportFailed
from exports.fonts import REQUIRED_FONTS, font_dirs, missing_fonts
from exports.formats.report_html import ReportBuilder
from exports.pdfjoin import TaggedPdfJoiner

CONTENT_TYPE = "application/pdf"


EXTENSION = "pdf"


TYPST_DIR = Path(__file__).resolve().parent.parent / "typst"


COMPILE_PART = TYPST_DIR / "compile_part.py"


BLOCK = 64 * 1024


# Code points Typst's PDF/UA-1 export refuses (NUL) or that no font can show
# (noncharacters), plus the other C0/C1 controls and lone surrogates, which
# mean nothing in a report: removed from every string before rendering.
UNPRINTABLE = dict.fromkeys(
    [
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        *range(0x7F, 0xA0),
        *range(0xD800, 0xE000),
        *range(0xFDD0, 0xFDF0),
        0xFFFE,
        0xFFFF,
    ]
)


class PdfUnavailable(ExportFailed):
    """The PDF cannot be made on this machine (a font is missing)."""


class PdfRenderError(ExportFailed):
    """Typst failed on a part of the report."""


def check_fonts() -> None:
    missing = missing_fonts()
    if missing:
        packages = sorted({REQUIRED_FONTS[name] for name in missing})
        raise PdfUnavailable(
            f"The PDF report needs fonts that are not installed: {', '.join(missing)} "
            f"(looked in {', '.join(font_dirs())}). Install the Debian packages "
            f"{' '.join(packages)}, or set EXPORT_PDF_FONT_DIRS to where they are."
        )


def printable(value: Any) -> Any:
    """The value with every string stripped of unprintable code points."""
    if isinstance(value, str):
        return value.translate(UNPRINTABLE)
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable(item) for item in value]
    return value


def _meta(head: dict[str, Any]) -> dict[str, Any]:
    return {
        "workspace_name": head["workspace_name"],
        "workspace_slug": head["workspace_slug"],
        "scope_label": head["scope_label"],
        "exported_at": head["exported_at"],
        "exported_by": head["exported_by"],
        "claim_count": head["claim_count"],
        "include_real_names": head["include_real_names"],
        "pseudonymised_count": head["pseudonymised_count"],
        "lang": "en",
    }


@dataclass
class _Part:
    process: subprocess.Popen
    path: str
    log: IO[bytes]


class PartCompiler:
    """Starts one child per part and collects what it reports. The child's
    output goes to a file, not a pipe, so a chatty child never blocks."""

    def __init__(self, folder: str):
        self.folder = folder
        self.count = 0
        self.peak_mb = 0.0
        self.not_ua: list[str] = []

    def start(self, document: dict[str, Any], *, first: bool, last: bool, first_page: int):
        path = os.path.join(self.folder, f"part{self.count:05d}.pdf")
        self.count += 1
        flags = {
            "first": "1" if first else "0",
            "last": "1" if last else "0",
            "first-page": str(first_page),
            "font-paths": json.dumps(font_dirs()),
        }
        log = tempfile.TemporaryFile(dir=self.folder)  # noqa: SIM115  (closed in finish/stop)
        process = subprocess.Popen(
            [sys.executable, str(COMPILE_PART), path, json.dumps(flags)],
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        data = json.dumps(printable(document), ensure_ascii=False).encode("utf-8")
        try:
            process.stdin.write(data)
        except BrokenPipeError:
            pass  # the child died at once: finish() says why
        finally:
            process.stdin.close()
        return _Part(process, path, log)

    def finish(self, part: _Part) -> str:
        """Wait for the part; its PDF's path."""
        returncode = part.process.wait()
        part.log.seek(0)
        output = part.log.read().decode("utf-8", "replace").strip()
        part.log.close()
        if returncode != 0:
            detail = " ".join(output.splitlines()[-3:])
            raise PdfRenderError(f"Typst could not compile the report: {detail}")
        lines = output.splitlines()
        report = json.loads(lines[-1])
        self.peak_mb = max(self.peak_mb, float(report.get("peak_mb", 0)))
        if not report.get("ua"):
            self.not_ua.append(" ".join(lines[:-1])[:500])
        return part.path

    @staticmethod
    def stop(part: _Part | None) -> None:
        if part is not None and part.process.poll() is None:
            part.process.kill()
            part.process.wait()
            part.log.close()


def _claim_parts(builder: ReportBuilder, size: int) -> Iterator[list[dict[str, Any]]]:
    """The claim records in lists of `size` (the last may be shorter)."""
    pending: list[dict[str, Any]] = []
    for records in builder.record_batches():
        pending.extend(records)
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    if pending:
        yield pending


def render(ctx: ExportContext, out) -> None:
    """Write the whole report to the binary file `out`."""
    check_fonts()
    size = pdf_part_size()
    # Read claims in chunks no larger than a part, so a part is ready early.
    builder = ReportBuilder(ctx, batch_size=min(size, chunk_size()))
    head = builder.head()
    meta, summary = (
        _meta(head),
        {
            "statuses": head["summary"]["statuses"],
            "verdicts": head["summary"]["verdicts"],
        },
    )
    joiner = TaggedPdfJoiner(out)
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as folder:
        compiler = PartCompiler(folder)
        parts = _claim_parts(builder, size)
        running: _Part | None = None
        done_path: str | None = None
        first_page = 1
        try:
            records = next(parts, [])
            index = 0
            while True:
                # Reading the next part tells whether this one is the last;
                # meanwhile the previous part compiles.
                following = next(parts, None)
                last = following is None
                document = {"meta": meta, "summary": summary, "claims": records}
                if last:
                    document["verification"] = builder.verification()
                if running is not None:
                    done_path = compiler.finish(running)
                    first_page += _pages_of(done_path)
                running = compiler.start(
                    document, first=index == 0, last=last, first_page=first_page
                )
                if done_path is not None:
                    joiner.append(done_path)
                    os.unlink(done_path)
                    done_path = None
                if last:
                    break
                records, index = following, index + 1
            joiner.append(compiler.finish(running))
            running = None
        finally:
            PartCompiler.stop(running)
        joiner.close()
    ctx.facts["pdf_parts"] = compiler.count
    ctx.facts["pdf_pages"] = joiner.page_count
    ctx.facts["pdf_worker_peak_mb"] = compiler.peak_mb
    if compiler.not_ua:
        ctx.facts["pdf_not_ua"] = compiler.not_ua


def _pages_of(path: str) -> int:
    # Only the page count: the part is read again, in full, when joined.
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def generate(ctx: ExportContext) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as out:
        render(ctx, out)
        out.seek(0)
        while block := out.read(BLOCK):
            yield block
