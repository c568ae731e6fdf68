"""Pages at 1,000, 10,000 and 100,000 claims on PostgreSQL, behind gunicorn.

    make bench                                       # pages, exports, locust
    .venv/bin/python bench/run_pages.py --sizes 1000 10000 --rounds 40
    .venv/bin/python bench/run_pages.py --skip-pages --locust   # the load test only

1. The database (--database-url, default BENCH_DATABASE_URL or
   postgres://postgres@127.0.0.1:5432/workbench_bench) is created if missing
   and migrated; workspace bench-<size> is generated once per size
   (bench/generate.py, timed), then VACUUM ANALYZE; dashboards are counted; a
   staff user reads the admin changelist (the anchor).
2. gunicorn starts on a free port with production settings (DEBUG=0) and
   workbench/gunicorn.conf.py (threaded workers).
3. Rounds: each round requests every page of every size once, interleaved,
   one request at a time, timing the whole answer on the client.
4. Queries per page are counted in-process (Django's test client, same URLs).
5. Exports: CSV of each workspace over HTTP (first byte and total).
6. --locust: 50 users for 2 minutes on the 100,000-claim workspace.

Prints the tables with `uptime`'s load beside them, and writes
bench/out/pages.md and bench/out/pages.json.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SEARCHES = ["Baniyas", "killed", "Mona Haddad", "displaced families", "Hadad", "hospital fuel"]
TARGETS = {"ratio": 1.5, "search_ms": 50.0}
# Shared by this process (which makes the sessions) and the server.
SECRET_KEY = "bench-only-" + "k" * 50


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def _ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def prepare(sizes: list[int]) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from bench.generate import analyze, generate
    from claims.models import Article, Claim
    from dashboard.services import dashboard_refresh
    from workspaces.models import Workspace

    call_command("migrate", verbosity=0)
    generated = {}
    for size in sizes:
        slug = f"bench-{size}"
        if not Workspace.objects.filter(slug=slug).exists():
            print(f"generating {slug}… ({uptime()})", flush=True)
            started = time.perf_counter()
            generate(slug=slug, claims=size)
            generated[size] = round(time.perf_counter() - started, 1)
            print(f"generated {slug} in {generated[size]} s", flush=True)
    analyze()
    User = get_user_model()
    staff, _ = User.objects.get_or_create(username="bench-staff")
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    sessions = {}
    for user in (User.objects.get(username="bench-analyst"), staff):
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.set_expiry(6 * 3600)
        session.save()
        sessions[user.username] = session.session_key
    spaces = {}
    for size in sizes:
        workspace = Workspace.objects.get(slug=f"bench-{size}")
        dashboard_refresh(workspace=workspace)
        articles = (
            Article.objects.filter(workspace=workspace).order_by("id").values_list("pk", flat=True)
        )
        claims = (
            Claim.objects.filter(workspace=workspace).order_by("id").values_list("pk", flat=True)
        )
        spaces[size] = {
            "id": workspace.pk,
            "slug": workspace.slug,
            "article": articles[len(articles) // 2],
            "claim": claims[len(claims) // 2],
        }
    return {"sessions": sessions, "spaces": spaces, "generated": generated}


def pages_for(space: dict, round_no: int) -> list[tuple[str, str, str]]:
    """(page name, URL, who) for one workspace; searches rotate over rounds."""
    s = space["slug"]
    q = SEARCHES[round_no % len(SEARCHES)]
    return [
        ("/healthz (floor)", "/healthz", "bench-analyst"),
        (
            "admin changelist (anchor)",
            f"/admin/claims/claim/?workspace__id__exact={space['id']}",
            "bench-staff",
        ),
        ("workspace home", f"/w/{s}/", "bench-analyst"),
        ("article", f"/w/{s}/articles/{space['article']}/", "bench-analyst"),
        ("claim panel", f"/w/{s}/claims/{space['claim']}/", "bench-analyst"),
        ("claims table", f"/w/{s}/claims/", "bench-analyst"),
        (
            "claims table, filtered",
            f"/w/{s}/claims/?status=pending_review&grade=A&grade=B&sort=updated",
            "bench-analyst",
        ),
        ("claims table, words", f"/w/{s}/claims/?{urlencode({'q': q})}", "bench-analyst"),
        ("search", f"/w/{s}/search/?{urlencode({'q': q})}", "bench-analyst"),
        ("dashboard", f"/w/{s}/dashboard/", "bench-analyst"),
        ("review queue", f"/w/{s}/review/", "bench-analyst"),
        ("my claims", f"/w/{s}/mine/", "bench-analyst"),
        ("sources", f"/w/{s}/sources/", "bench-analyst"),
        ("exports page", f"/w/{s}/exports/", "bench-analyst"),
        ("jobs page", f"/w/{s}/jobs/", "bench-analyst"),
        ("article picker", f"/w/{s}/articles/pick/?q=Baniyas", "bench-analyst"),
    ]


def count_queries(spaces: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, dict[int, int]] = {}
    clients = {}
    for name in ("bench-analyst", "bench-staff"):
        clients[name] = Client(HTTP_HOST="127.0.0.1")
        clients[name].force_login(get_user_model().objects.get(username=name))
    for size, space in spaces.items():
        for page, url, who in pages_for(space, 0):
            clients[who].get(url)
            with CaptureQueriesContext(connection) as queries:
                clients[who].get(url)
            counts.setdefault(page, {})[size] = len(queries)
    return counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # jobs in-process: the dashboards are already counted
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "workbench/gunicorn.conf.py",
            "workbench.wsgi",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def fetch(conn: http.client.HTTPConnection, url: str, session: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    conn.request("GET", url, headers={"Cookie": f"sessionid={session}", "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    return (time.perf_counter() - started) * 1000, response.status, len(body)


def measure_pages(port: int, context: dict, rounds: int) -> dict:
    timings: dict[str, dict[int, list[float]]] = {}
    errors: list[str] = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    sessions = context["sessions"]
    for round_no in range(rounds + 2):
        for size, space in context["spaces"].items():
            for page, url, who in pages_for(space, round_no):
                ms, status, _ = fetch(conn, url, sessions[who])
                if status != 200:
                    errors.append(f"{status} {url}")
                if round_no >= 2:  # two warm-up rounds
                    timings.setdefault(page, {}).setdefault(size, []).append(ms)
    return {"timings": timings, "errors": errors}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def csv_export(port: int, context: dict, size: int) -> dict:
    space = context["spaces"][size]
    session = context["sessions"]["bench-analyst"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", f"/w/{space['slug']}/exports/", headers={"Cookie": f"sessionid={session}"})
    response = conn.getresponse()
    page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    csrf_cookie = cookie.group(1) if cookie else token
    body = urlencode({"format": "csv", "csrfmiddlewaretoken": token})
    started = time.perf_counter()
    conn.request(
        "POST",
        f"/w/{space['slug']}/exports/new/",
        body=body,
        headers={
            "Cookie": f"sessionid={session}; csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/w/{space['slug']}/exports/",
        },
    )
    response = conn.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - started
    rest = response.read()
    total = time.perf_counter() - started
    return {
        "status": response.status,
        "first_byte_s": round(first_byte, 3),
        "total_s": round(total, 2),
        "mb": round((len(first) + len(rest)) / 2**20, 1),
        "rows": (first + rest).count(b"\n") - 1,
    }


def run_locust(port: int, context: dict, users: int, seconds: int) -> dict:
    space = context["spaces"][max(context["spaces"])]
    env = {
        **os.environ,
        "BENCH_SLUG": space["slug"],
        "BENCH_SESSION": context["sessions"]["bench-analyst"],
        "BENCH_ARTICLE": str(space["article"]),
        "BENCH_CLAIM": str(space["claim"]),
    }
    prefix = OUT / "locust"
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        "10",
        "-t",
        f"{seconds}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
    ]
    before = uptime()
    subprocess.run(command, cwd=ROOT, env=env, check=False, capture_output=True)
    rows = (prefix.parent / "locust_stats.csv").read_text().splitlines()
    header = rows[0].split(",")
    result = {"load_before": before, "load_after": uptime(), "pages": []}
    for line in rows[1:]:
        values = dict(zip(header, next(csv.reader([line])), strict=False))
        entry = {
            "name": values["Name"],
            "requests": int(values["Request Count"]),
            "failures": int(values["Failure Count"]),
            "p50_ms": float(values["50%"] or 0),
            "p95_ms": float(values["95%"] or 0),
            "rps": round(float(values["Requests/s"]), 1),
        }
        if values["Name"] == "Aggregated":
            result["total"] = entry
        else:
            result["pages"].append(entry)
    return result


def report(context, measured, queries, exports, sizes) -> str:
    timings = measured["timings"]
    small, large = min(sizes), max(sizes)
    lines = [
        f"Machine: {os.cpu_count()} cores; {uptime()}",
        "",
        "| page | "
        + " | ".join(f"p50 / p95 at {s:,}" for s in sizes)
        + f" | p95 {large:,}/{small:,} | p95 / healthz | p95 / admin | queries {'/'.join(f'{s // 1000}k' for s in sizes)} |",
        "|---|" + "---:|" * len(sizes) + "---:|---:|---:|---|",
    ]
    health = percentile(timings["/healthz (floor)"][large], 95)
    admin = percentile(timings["admin changelist (anchor)"][large], 95)
    verdicts = []
    for page, by_size in timings.items():
        p95 = {s: percentile(by_size[s], 95) for s in sizes}
        p50 = {s: statistics.median(by_size[s]) for s in sizes}
        ratio = p95[large] / p95[small]
        cells = " | ".join(f"{p50[s]:.1f} / {p95[s]:.1f} ms" for s in sizes)
        counts = "/".join(str(queries.get(page, {}).get(s, "?")) for s in sizes)
        lines.append(
            f"| {page} | {cells} | {ratio:.2f}x | {p95[large] / health:.1f}x | {p95[large] / admin:.2f}x | {counts} |"
        )
        if page not in ("/healthz (floor)", "admin changelist (anchor)"):
            ok = ratio <= TARGETS["ratio"] and p95[large] <= admin
            if page == "search":
                ok = ok and p95[large] < TARGETS["search_ms"]
            verdicts.append(
                f"{'PASS' if ok else 'FAIL'} {page}: {ratio:.2f}x, {p95[large]:.1f} ms at {large:,} (admin {admin:.1f} ms)"
            )
    lines += ["", *verdicts]
    if measured["errors"]:
        lines += ["", f"Errors: {len(measured['errors'])}: {measured['errors'][:5]}"]
    if exports:
        lines += [
            "",
            "| CSV export over HTTP | first byte | total | MB | rows |",
            "|---|---:|---:|---:|---:|",
        ]
        for size, r in exports.items():
            lines.append(
                f"| {size:,} claims | {r['first_byte_s']} s | {r['total_s']} s | {r['mb']} | {r['rows']:,} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/workbench_bench"
        ),
    )
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--exports", action="store_true", help="CSV of each workspace over HTTP.")
    parser.add_argument("--locust", action="store_true", help="50 users, 2 minutes, largest size.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("The page benchmark runs on PostgreSQL (--database-url postgres://...).")
    OUT.mkdir(parents=True, exist_ok=True)
    _ensure_database(args.database_url)
    _setup(args.database_url)
    context = prepare(args.sizes)
    results: dict = {"generated_s": context["generated"], "load_start": uptime()}
    port = free_port()
    server = start_server(args.database_url, port)
    try:
        if not args.skip_pages:
            queries = count_queries(context["spaces"])
            measured = measure_pages(port, context, args.rounds)
            results.update(queries=queries, timings=measured["timings"], errors=measured["errors"])
        exports = {}
        if args.exports:
            for size in args.sizes:
                exports[size] = csv_export(port, context, size)
                print(f"CSV of {size:,}: {exports[size]}", flush=True)
            results["exports"] = exports
        if not args.skip_pages:
            table = report(context, measured, queries, exports, args.sizes)
            print(table)
            (OUT / "pages.md").write_text(table + "\n", encoding="utf-8")
        if args.locust:
            results["locust"] = run_locust(port, context, args.users, args.seconds)
            print(json.dumps(results["locust"]["total"]), results["locust"]["load_after"])
            for entry in results["locust"]["pages"]:
                print(
                    f"  {entry['name']}: {entry['requests']} requests, {entry['failures']} failures, p50 {entry['p50_ms']} ms, p95 {entry['p95_ms']} ms"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    results["load_end"] = uptime()
    (OUT / "pages.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
