"""Compile one part of the PDF report, in a child process of its own.

    python compile_part.py OUT.pdf '{"first": "1", "last": "0", "first-page": "1", ...}'
    (the part's JSON data on standard input)

Run by exports/formats/report_pdf.py, never imported by the app: typst-py
keeps Typst's memoisation cache for the life of the process (about 1 MB per
claim, never freed), so each part is compiled in a process that then exits.
Imports nothing from Django or the project.

Every part is compiled as PDF/UA-1 (tagged, with its title shown). Typst's
UA-1 export refuses text that no configured font can show (a script without
an installed font); such a part is compiled again as a tagged PDF without the
UA-1 claim, and the reason is written to standard error for the parent.
Prints one JSON line: the part's peak memory (VmHWM) in MB and whether it is UA-1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typst

TEMPLATE = Path(__file__).resolve().parent / "report.typ"


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main(out: str, flags: dict[str, str]) -> dict:
    font_paths = json.loads(flags.pop("font-paths", "[]"))
    data = sys.stdin.buffer.read().decode("utf-8")
    compiler = typst.Compiler(
        TEMPLATE,
        root=TEMPLATE.parent,  # the only folder the template may read
        font_paths=font_paths,
        ignore_system_fonts=True,  # the same fonts on every machine: only those named
        sys_inputs={"data": data, **flags},
    )
    try:
        compiler.compile(output=out, pdf_standards=["ua-1"])
        return {"peak_mb": _peak_mb(), "ua": True}
    except typst.TypstError as exc:
        if "PDF/UA" not in str(exc.message):
            raise
        print(f"compiled without PDF/UA-1: {exc.message}", file=sys.stderr)
    compiler.compile(output=out, pdf_tags=True)
    return {"peak_mb": _peak_mb(), "ua": False}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], json.loads(sys.argv[2]))), flush=True)
