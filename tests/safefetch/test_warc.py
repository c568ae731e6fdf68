"""WARC snapshots of fetch results, read back with warcio (and `warcio check`):
every exchange of a redirect chain, so the URL asked for replays as cited."""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from safefetch.fetcher import FetchResult, fetch
from safefetch.warc import WARCReadError, read_warc_response, snapshot_warc
from tests.http_test_server import LocalHTTPServer

BODY = "<html><body><p>Le café est fermé.</p></body></html>".encode()


@pytest.fixture
def server():
    with LocalHTTPServer() as s:
        yield s


@pytest.fixture
def result(server) -> FetchResult:
    server.add_redirect("/start", "/article?id=7")
    server.add_route("/article", body=BODY, headers=[("X-Edition", "morning")])
    return fetch(server.url("/start"), allowed_hosts=["127.0.0.1:*"])


def records(data: bytes) -> list:
    out = []
    for record in ArchiveIterator(io.BytesIO(data)):
        out.append((record, record.content_stream().read()))
    return out


def test_it_writes_a_gzipped_warc(result):
    data = snapshot_warc(result)

    assert data[:2] == b"\x1f\x8b"
    assert gzip.decompress(data).startswith(b"WARC/1.0\r\n")


def test_it_writes_warcinfo_then_each_exchange_of_the_redirect_chain(result):
    types = [record.rec_type for record, _ in records(snapshot_warc(result))]

    assert types == ["warcinfo", "response", "request", "response", "request"]


def test_the_url_asked_for_replays_as_a_redirect_to_the_page(result, server):
    responses = [r for r, _ in records(snapshot_warc(result)) if r.rec_type == "response"]
    first, final = responses

    assert first.rec_headers.get_header("WARC-Target-URI") == server.url("/start")
    assert first.http_headers.get_statuscode() == "302"
    assert first.http_headers.get_header("Location") == "/article?id=7"
    assert final.rec_headers.get_header("WARC-Target-URI") == result.final_url
    assert final.http_headers.get_statuscode() == "200"


def test_each_request_record_belongs_to_its_response(result):
    recs = [r for r, _ in records(snapshot_warc(result))][1:]
    for response, request in zip(recs[::2], recs[1::2], strict=True):
        assert request.rec_headers.get_header("WARC-Concurrent-To") == (
            response.rec_headers.get_header("WARC-Record-ID")
        )
        assert request.rec_headers.get_header("WARC-Target-URI") == (
            response.rec_headers.get_header("WARC-Target-URI")
        )


def test_warcio_checks_the_archive_of_a_redirect(result, tmp_path):
    """`warcio check` recomputes every record's block and payload digests."""
    path = tmp_path / "snapshot.warc.gz"
    path.write_bytes(snapshot_warc(result))
    warcio = shutil.which("warcio") or str(Path(sys.executable).with_name("warcio"))
    done = subprocess.run([warcio, "check", "-v", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    # One line per record: warcinfo, then response and request for each hop.
    assert done.stdout.count("digest pass") == 5 and "fail" not in done.stdout


def test_the_payload_hash_is_not_the_file_hash(result):
    data = snapshot_warc(result)
    assert result.sha256 == hashlib.sha256(BODY).hexdigest()
    assert hashlib.sha256(data).hexdigest() != result.sha256


def test_it_stores_the_body_as_the_response_payload(result):
    *_, (response, payload) = [
        r for r in records(snapshot_warc(result)) if r[0].rec_type == "response"
    ]

    assert payload == BODY
    assert response.http_headers.get_statuscode() == "200"
    assert response.http_headers.protocol == "HTTP/1.1"
    assert response.http_headers.get_header("X-Edition") == "morning"
    assert response.http_headers.get_header("Content-Type") == "text/html; charset=utf-8"


def test_it_records_the_final_url_date_and_ip_address(result):
    *_, response = [r for r, _ in records(snapshot_warc(result)) if r.rec_type == "response"]

    assert response.rec_headers.get_header("WARC-Target-URI") == result.final_url
    assert result.final_url.endswith("/article?id=7")
    assert response.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert response.rec_headers.get_header("WARC-Date") == result.fetched_at.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def test_it_records_the_request_that_was_sent(result):
    recs = {r.rec_type: r for r, _ in records(snapshot_warc(result))}
    request = recs["request"]

    assert request.http_headers.protocol == "GET"
    assert request.http_headers.statusline == "/article?id=7 HTTP/1.1"
    assert (
        request.http_headers.get_header("User-Agent") == dict(result.request_headers)["User-Agent"]
    )
    assert request.rec_headers.get_header("WARC-Target-URI") == result.final_url
    assert request.rec_headers.get_header("WARC-Concurrent-To") == recs[
        "response"
    ].rec_headers.get_header("WARC-Record-ID")


def test_it_names_the_software_in_the_warcinfo_record(result):
    [(_, info)] = [r for r in records(snapshot_warc(result)) if r[0].rec_type == "warcinfo"]

    assert b"software: ClaimsWorkbench/" in info


def test_it_reads_the_response_back(result):
    status, headers, body = read_warc_response(snapshot_warc(result))

    assert status == 200
    assert body == BODY
    assert ("X-Edition", "morning") in headers
    assert ("Content-Length", str(len(BODY))) in headers


def test_it_stores_a_decoded_gzip_body_so_readers_do_not_decode_it_again(server):
    server.add_route("/z", body=gzip.compress(BODY), headers=[("Content-Encoding", "gzip")])
    fetched = fetch(server.url("/z"), allowed_hosts=["127.0.0.1:*"])

    _status, headers, body = read_warc_response(snapshot_warc(fetched))

    assert body == BODY
    assert ("X-Archive-Orig-Content-Encoding", "gzip") in headers
    assert ("Content-Length", str(len(BODY))) in headers


def test_it_stores_a_dechunked_body_with_its_length(server):
    server.add_route("/c", body=BODY * 50, chunked=True)
    fetched = fetch(server.url("/c"), allowed_hosts=["127.0.0.1:*"])

    _status, headers, body = read_warc_response(snapshot_warc(fetched))

    assert body == BODY * 50
    assert ("X-Archive-Orig-Transfer-Encoding", "chunked") in headers


def test_it_keeps_error_statuses():
    result = FetchResult(
        requested_url="https://example.org/missing",
        final_url="https://example.org/missing",
        status=404,
        reason="Not Found",
        headers=[("Content-Type", "text/plain")],
        content_type="text/plain",
        charset=None,
        body=b"nope",
        peer_ip="2606:2800:220:1::1",
        redirects=[],
        fetched_at=datetime(2024, 5, 17, 8, 30, 0, tzinfo=UTC),
        http_version="HTTP/1.0",
        request_headers=[("Host", "example.org")],
    )

    data = snapshot_warc(result)

    assert read_warc_response(data) == (
        404,
        [("Content-Type", "text/plain"), ("Content-Length", "4")],
        b"nope",
    )
    [response] = [r for r, _ in records(data) if r.rec_type == "response"]
    assert response.rec_headers.get_header("WARC-Date") == "2024-05-17T08:30:00Z"
    assert response.rec_headers.get_header("WARC-IP-Address") == "2606:2800:220:1::1"


def test_it_rejects_data_that_is_not_a_warc():
    with pytest.raises(WARCReadError):
        read_warc_response(b"this is not a warc file")
