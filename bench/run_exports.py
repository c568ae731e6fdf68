"""Measure every export format at 1,000 and 10,000 claims: seconds and peak memory.

    .venv/bin/python bench/run_exports.py                 # SQLite in bench/out/
    .venv/bin/python bench/run_exports.py --sizes 1000 --formats csv json
    .venv/bin/python bench/run_exports.py --database-url postgres://postgres@127.0.0.1:5432/wb_exports

The data is generated once per size (bench/generate.py) and kept in the
benchmark database; --fresh starts over. Each measurement runs in its own
process, which writes the export to a file the way `manage.py export_report`
does (CSV and JSON stream the same way to a browser). Memory is the process's
peak resident set (VmHWM) during the export, reset after start-up; "baseline"
is the resident set of the started process just before exporting, so
peak - baseline is what the export itself needed. The table goes to stdout
and bench/out/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FORMATS = ["csv", "json", "html", "pdf", "claimreview", "annotation"]


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # No query log: the benchmark measures the export, not the debug toolbar.
    settings.DEBUG = False


def _status_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (peak resident) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> bool:
    """Reset the peak-RSS mark (Linux 4.0+), so start-up does not count."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(format: str, slug: str, use_tracemalloc: bool) -> dict:
    from exports.services.runner import export_prepare, export_write
    from workspaces.models import Workspace

    workspace = Workspace.objects.get(slug=slug)
    actor = workspace.memberships.get(role="admin").user
    baseline = _status_mb("VmRSS")
    _reset_peak()
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    started = time.perf_counter()
    cpu_started = time.process_time()
    ctx = export_prepare(
        workspace=workspace, actor=actor, format=format, params={}, base_url="https://bench.example"
    )
    with tempfile.TemporaryFile() as out:
        export = export_write(ctx, out)
    seconds = time.perf_counter() - started
    result = {
        "format": format,
        "claims": ctx.claim_count,
        "seconds": round(seconds, 2),
        "cpu_s": round(time.process_time() - cpu_started, 2),
        "peak_rss_mb": round(_status_mb("VmHWM"), 1),
        "baseline_rss_mb": round(baseline, 1),
        "bytes": export.size,
    }
    if format == "pdf":
        # Each part is compiled in a child process, alongside this one.
        result["pdf_worker_peak_rss_mb"] = ctx.facts.get("pdf_worker_peak_mb")
        result["pdf_parts"] = ctx.facts.get("pdf_parts")
        result["pdf_pages"] = ctx.facts.get("pdf_pages")
        result["cpu_children_s"] = round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime,
            1,
        )
    if use_tracemalloc:
        result["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return result


def prepare(sizes: list[int]) -> None:
    from django.core.management import call_command

    from bench.generate import generate
    from workspaces.models import Workspace

    call_command("migrate", verbosity=0)
    for size in sizes:
        slug = f"bench-{size}"
        if not Workspace.objects.filter(slug=slug).exists():
            started = time.perf_counter()
            generate(slug=slug, claims=size)
            print(f"generated {slug} in {time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--formats", nargs="+", default=FORMATS, choices=FORMATS)
    parser.add_argument("--database-url", default=f"sqlite:///{OUT / 'bench.sqlite3'}")
    parser.add_argument(
        "--fresh", action="store_true", help="Delete the SQLite benchmark database first."
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="Also report the Python heap peak (slower)."
    )
    parser.add_argument("--measure", nargs=2, metavar=("FORMAT", "SLUG"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        _setup(args.database_url)
        print(json.dumps(measure(args.measure[0], args.measure[1], args.tracemalloc)))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    if args.fresh and args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    _setup(args.database_url)
    prepare(args.sizes)

    rows = []
    for size in args.sizes:
        for format in args.formats:
            command = [
                sys.executable,
                __file__,
                "--measure",
                format,
                f"bench-{size}",
                "--database-url",
                args.database_url,
            ]
            if args.tracemalloc:
                command.append("--tracemalloc")
            done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
            if done.returncode:
                print(done.stderr[-2000:], file=sys.stderr)
                raise SystemExit(f"measuring {format} at {size} claims failed")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["size"] = size
            rows.append(result)
            print(json.dumps(result), flush=True)

    extra = " Python heap peak MB |" if args.tracemalloc else ""
    lines = [
        f"| format | workspace claims | claims exported | seconds | peak RSS MB | baseline RSS MB | export's own MB | file MB |{extra}",
        "|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if args.tracemalloc else ""),
    ]
    for r in rows:
        line = (
            f"| {r['format']} | {r['size']:,} | {r['claims']:,} | {r['seconds']} | {r['peak_rss_mb']} "
            f"| {r['baseline_rss_mb']} | {r['peak_rss_mb'] - r['baseline_rss_mb']:.1f} "
            f"| {r['bytes'] / 2**20:.1f} |"
        )
        if args.tracemalloc:
            line += f" {r['python_peak_mb']} |"
        lines.append(line)
    table = "\n".join(lines)
    print(table)
    (OUT / "results.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
