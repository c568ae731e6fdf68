"""Size: CSV and JSON stream with memory flat as the export grows, and read
claims with a fixed number of queries per chunk, never per claim."""

import gc
import tracemalloc

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from exports.services.runner import export_blocks, export_prepare
from tests.conftest import make_member
from tests.exports.world import bulk_claims
from workspaces.models import Workspace


def _workspace_with(count: int, slug: str):
    workspace = Workspace.objects.create(slug=slug, name=slug)
    user = make_member(workspace, f"user-{slug}", "admin")
    bulk_claims(workspace=workspace, user=user, count=count)
    return workspace, user


def _consume(workspace, user, format: str) -> int:
    ctx = export_prepare(
        workspace=workspace, actor=user, format=format, params={}, base_url="http://testserver"
    )
    return sum(len(block) for block in export_blocks(ctx))


def _peak(workspace, user, format: str) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    try:
        size = _consume(workspace, user, format)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


@pytest.mark.parametrize("format", ["csv", "json"])
@override_settings(EXPORT_CHUNK_SIZE=100)
def test_it_holds_memory_flat_as_the_export_grows(db, format):
    small = _workspace_with(200, "small")
    large = _workspace_with(2000, "large")
    _consume(*small, format)  # warm caches (templates, imports) before measuring
    small_peak, small_size = _peak(*small, format)
    large_peak, large_size = _peak(*large, format)
    assert large_size > 9 * small_size  # ten times the data...
    assert large_peak < 3 * small_peak, (small_peak, large_peak)  # ...not ten times the memory


def _queries(workspace, user, format: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _consume(workspace, user, format)
    return len(queries)


@pytest.mark.parametrize(("format", "per_chunk"), [("csv", 3), ("json", 5)])
@override_settings(EXPORT_CHUNK_SIZE=10)
def test_it_reads_a_fixed_number_of_queries_per_chunk(db, format, per_chunk):
    two_chunks = _queries(*_workspace_with(20, "two"), format)
    four_chunks = _queries(*_workspace_with(40, "four"), format)
    # Two more chunks of ten claims cost two chunks' prefetches, not twenty claims' queries.
    assert four_chunks - two_chunks == 2 * per_chunk
    assert four_chunks < 40
