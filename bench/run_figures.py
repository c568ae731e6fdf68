"""Measure the figures page, the reconcile job and the matcher at 1,000,
10,000 and 100,000 claims (PostgreSQL).

    .venv/bin/python bench/run_figures.py --database-url postgres://postgres@127.0.0.1:5432/wb_bench
    .venv/bin/python bench/run_figures.py --sizes 1000 10000 --requests 100

The data is generated once per size (bench/generate.py: scoped figures over
the coast's gazetteer, 60 sources, 60 days) and kept in the database. Per
size it reports: the reconcile job's seconds (the stored summary the page
reads); the figures page's p50/p95/max over N requests through the whole
middleware stack (Django's test client, logged in), first page and a later
one, and its query count; the matcher's nearest-neighbour candidate queries
and a whole match (find_matches) for a sample of claims. The table goes to
stdout and bench/out/figures.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    os.environ.pop("REDIS_URL", None)  # jobs in-process: nothing to send
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(size: int, requests: int, samples: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.generate import generate
    from claims.models import Claim
    from figures.services import figures_reconcile
    from matching.selectors_candidates import (
        base_candidates,
        excluded_article_ids,
        find_matches,
        nearest_by_trigram,
    )
    from matching.services import claim_for_matching
    from workspaces.models import Workspace

    slug = f"bench-figures-{size}"
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        started = time.perf_counter()
        with transaction.atomic():
            workspace = generate(slug=slug, claims=size)
        print(f"  generated {size} claims in {time.perf_counter() - started:.0f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    summary = figures_reconcile(workspace=workspace)
    reconcile_seconds = time.perf_counter() - started

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="bench-analyst"))
    url = f"/w/{slug}/figures/"
    timings: dict[str, list[float]] = {"first page": [], "a later page": []}
    later = f"{url}?from={max(1, summary.categories // 2)}"
    for _ in range(5):  # warm up
        client.get(url)
    for _ in range(requests):
        for name, address in (("first page", url), ("a later page", later)):
            started = time.perf_counter()
            response = client.get(address)
            timings[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)

    rng = random.Random(7)
    ids = list(Claim.objects.filter(workspace=workspace).values_list("pk", flat=True))
    sample = rng.sample(ids, min(samples, len(ids)))
    knn, whole = [], []
    for pk in sample:
        claim = claim_for_matching(workspace_id=workspace.pk, pk=pk)
        base = base_candidates(claim, excluded_article_ids(claim))
        started = time.perf_counter()
        for field in ("statement", "quote"):
            list(nearest_by_trigram(claim, base, field))
        knn.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        find_matches(claim)
        whole.append((time.perf_counter() - started) * 1000)
    plan = nearest_by_trigram(
        claim_for_matching(workspace_id=workspace.pk, pk=sample[0]),
        base_candidates(claim, excluded_article_ids(claim)),
        "statement",
    ).explain()
    return {
        "size": size,
        "figures": summary.figures,
        "categories": summary.categories,
        "conflicts": summary.conflicts,
        "reconcile_seconds": reconcile_seconds,
        "page": {
            name: (statistics.median(t), _percentile(t, 0.95), max(t))
            for name, t in timings.items()
        },
        "queries": len(queries.captured_queries),
        "knn_ms": (statistics.median(knn), _percentile(knn, 0.95)),
        "match_ms": (statistics.median(whole), _percentile(whole, 0.95)),
        "knn_index_used": "claim_ws_statement_knn_idx" in plan,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wb_bench"),
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    _setup(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rows = []
    for size in args.sizes:
        print(f"{size} claims…", flush=True)
        rows.append(measure(size, args.requests, args.samples))
    lines = [
        "| claims | figures | categories | reconcile job (s) | page p50 / p95 / max (ms), "
        "first page | later page | queries | KNN candidates p50 / p95 (ms) | "
        "whole match p50 / p95 (ms) | KNN index used |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        first, later = r["page"]["first page"], r["page"]["a later page"]
        lines.append(
            f"| {r['size']:,} | {r['figures']:,} | {r['categories']:,} | "
            f"{r['reconcile_seconds']:.1f} | {first[0]:.0f} / {first[1]:.0f} / {first[2]:.0f} | "
            f"{later[0]:.0f} / {later[1]:.0f} / {later[2]:.0f} | {r['queries']} | "
            f"{r['knn_ms'][0]:.1f} / {r['knn_ms'][1]:.1f} | "
            f"{r['match_ms'][0]:.0f} / {r['match_ms'][1]:.0f} | {r['knn_index_used']} |"
        )
    table = "\n".join(lines)
    print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "figures.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
