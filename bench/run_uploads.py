"""Measure what an article upload costs the server: seconds and peak memory.

    .venv/bin/python bench/run_uploads.py            # the cases of issue 12 (F7, F8)
    .venv/bin/python bench/run_uploads.py --cases big-file

Each case runs in its own process on a fresh SQLite database: the request
body (multipart, written to a temporary file first) is streamed into
Django's request handler from disk, as a WSGI server would, so the numbers
are the server's own. Memory is the process's peak resident set (VmHWM)
during the request, reset just before it, minus the resident set then.

The suggestions job that an import starts is left to a worker (as with
Redis); BENCH_JOBS_IN_REQUEST=1 runs it inside the request, as a workbench
without Redis does.

Cases:
- big-file (F7): a 300 MB .txt upload, far over the limit;
- big-html (F8): a 3.9 MB HTML page of 31,000 nested blocks, under the limit;
- deep-html: 100,000 nested <div>s (1.2 MB);
- ok-html: a 200 KB HTML article (what a real page costs).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = "----workbench-bench-boundary"


def _mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _write_case(case: str, path: Path) -> tuple[str, int]:
    """Write the multipart body of the case; (file name, file size)."""
    if case == "big-file":
        name, size = "huge.txt", 300 * 1024 * 1024
        chunk = (b"All quiet on the coast today. " * 2000)[: 1024 * 1024]

        def content(out):
            for _ in range(size // len(chunk)):
                out.write(chunk)

    else:
        if case == "big-html":
            block = (
                '<div class="c" data-row="{i}" data-kind="report"><div class="inner"><p>'
                "Residents said the road was closed at {i}; the gunmen "
                '<a href="/x/{i}" rel="nofollow">left</a>.</p></div></div>\n'
            )
            html = "<html><body>" + "".join(block.format(i=i) for i in range(21_500))
            html += "</body></html>"
        elif case == "deep-html":
            html = (
                "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>"
            )
        else:
            para = "<p>The ministry said the toll was lower than the monitors reported. " * 3
            html = "<html><body><article>" + (para + "</p>\n") * 900 + "</article></body></html>"
        data = html.encode()
        name, size = f"{case}.html", len(data)

        def content(out):
            out.write(data)

    with open(path, "wb") as out:
        for field, value in (("title", "Bench"), ("language", "en")):
            out.write(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="{name}"'
            "\r\nContent-Type: application/octet-stream\r\n\r\n".encode()
        )
        content(out)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return name, size


def measure(case: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.client import ClientHandler

    from tests.conftest import make_member
    from workbench.celery import app
    from workspaces.models import Workspace

    # The suggestions job an import starts runs on a worker, as it does with
    # Redis; in-process (no Redis) it would run inside this request and be timed.
    app.conf.task_always_eager = os.environ.get("BENCH_JOBS_IN_REQUEST") == "1"
    call_command("migrate", verbosity=0)
    workspace = Workspace.objects.create(slug="bench", name="Bench")
    analyst = make_member(workspace, "bench-analyst", "analyst")
    client = Client()
    client.force_login(analyst)
    client.get(f"/w/{workspace.slug}/articles/new/")  # warm up
    body = Path(tempfile.mkstemp(suffix=".multipart")[1])
    name, size = _write_case(case, body)
    handler = ClientHandler(enforce_csrf_checks=False)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    baseline = _mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    started = time.perf_counter()
    with open(body, "rb") as stream:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/w/{workspace.slug}/articles/new/",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "localhost",
            "HTTP_COOKIE": cookie,
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(body.stat().st_size),
            "wsgi.input": stream,
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        response = handler(environ)
    seconds = time.perf_counter() - started
    body.unlink()
    text = response.content.decode("utf-8", "replace")
    message = ""
    for marker in ('class="form-errors"', 'class="errorlist"'):
        if marker in text:
            message = text.split(marker, 1)[1].split("</", 1)[0].split(">", 1)[-1].strip()
            break
    return {
        "case": case,
        "file": name,
        "file_mb": round(size / 2**20, 1),
        "status": response.status_code,
        "seconds": round(seconds, 2),
        "peak_extra_mb": round(_mb("VmHWM") - baseline, 1),
        "message": message[:160],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases", nargs="+", default=["big-file", "big-html", "deep-html", "ok-html"]
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    print("| case | file MB | status | seconds | peak extra MB | message |")
    print("| --- | --- | --- | --- | --- | --- |")
    for case in args.cases:
        with tempfile.TemporaryDirectory() as var:
            env = {
                **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
                "WORKBENCH_VAR_DIR": var,
                "DJANGO_SETTINGS_MODULE": "workbench.settings",
                "PYTHONPATH": str(ROOT),
            }
            result = subprocess.run(
                [sys.executable, __file__, "--one", case],
                env=env,
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            if result.returncode:
                print(result.stderr[-2000:], file=sys.stderr)
                continue
            row = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                f"| {row['case']} | {row['file_mb']} | {row['status']} | {row['seconds']} | "
                f"{row['peak_extra_mb']} | {row['message']} |"
            )


if __name__ == "__main__":
    main()
