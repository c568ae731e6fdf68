"""WARC snapshots of fetched pages (pure Python, no Django).

``snapshot_warc(result)`` gives the bytes of a gzip-compressed WARC/1.0 file,
each record compressed on its own as the format recommends:

1. ``warcinfo``: the software and format;
2. for each redirect followed (``result.hops``), then for the final response:
   a ``response`` record (WARC-Target-URI the URL asked for at that hop,
   WARC-Date when its headers arrived, WARC-IP-Address the address actually
   connected to, the HTTP status line, headers and body) and the ``request``
   that produced it, linked by WARC-Concurrent-To (warcio writes the response
   before its request).

So the evidence's own URL replays as cited: a replay tool (pywb) finds its
3xx response and follows the Location to the next record. A redirect's body is
kept when it is small (see ``REDIRECT_BODY_MAX``), else stored empty.

The fetcher hands us *identity* bodies (de-chunked, and decoded if the server
gzipped it despite ``Accept-Encoding: identity``). So that WARC readers do not
try to de-chunk or decompress them a second time, ``Transfer-Encoding``,
``Content-Encoding`` and any ``Content-Length`` that does not match the stored
body are stored renamed with the usual ``X-Archive-Orig-`` prefix, and a
``Content-Length`` matching the stored body is added if missing. All other
headers are stored as received, in order.

Two hashes describe an archive, and they are different things: the SHA-256 of
this WARC file (what ``sha256sum`` gives on a download) and the SHA-256 of the
final response's payload (the page body as served).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from safefetch.fetcher import USER_AGENT, FetchResult, request_target

__all__ = ["SOFTWARE", "WARCReadError", "read_warc_response", "snapshot_warc"]


SOFTWARE = USER_AGENT


_RENAMED = frozenset({"transfer-encoding", "content-encoding", "content-length"})


ORIG_PREFIX = "X-Archive-Orig-"


class WARCReadError(ValueError):
    """The data is not a WARC file with a response record."""


def _stored_headers(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    length = str(len(body))
    stored: list[tuple[str, str]] = []
    has_length = False
    for name, value in headers:
        lname = name.lower()
        if lname == "content-length" and value.strip() == length and not has_length:
            has_length = True
        elif lname in _RENAMED:
            name = f"{ORIG_PREFIX}{name}"
        stored.append((name, value))
    if not has_length:
        stored.append(("Content-Length", length))
    return stored


def _write_exchange(
    writer: WARCWriter,
    *,
    url: str,
    status: int,
    reason: str,
    headers: list[tuple[str, str]],
    body: bytes,
    peer_ip: str,
    fetched_at: datetime,
    http_version: str,
    request_headers: list[tuple[str, str]],
) -> None:
    warc_date = datetime_to_iso_date(fetched_at.astimezone(UTC).replace(tzinfo=None))
    common = {"WARC-Date": warc_date, "WARC-IP-Address": peer_ip}
    response = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        warc_headers_dict=dict(common),
        http_headers=StatusAndHeaders(
            f"{status} {reason}".strip(),
            _stored_headers(headers, body),
            protocol=http_version,
        ),
    )
    request = writer.create_warc_record(
        url,
        "request",
        warc_headers_dict=dict(common),
        http_headers=StatusAndHeaders(
            f"GET {request_target(url)} {http_version}",
            list(request_headers),
            is_http_request=True,
        ),
    )
    writer.write_request_response_pair(request, response)


def snapshot_warc(result: FetchResult) -> bytes:
    """A gzipped WARC holding warcinfo and every exchange: redirects, then the
    final response, each with its request."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    chain = " -> ".join([*(hop.url for hop in result.hops), result.final_url])
    writer.write_record(
        writer.create_warcinfo_record(
            "",
            {
                "software": SOFTWARE,
                "format": "WARC File Format 1.0",
                "http-header-user-agent": USER_AGENT,
                "description": f"snapshot of {chain}",
            },
        )
    )
    for hop in result.hops:
        _write_exchange(
            writer,
            url=hop.url,
            status=hop.status,
            reason=hop.reason,
            headers=hop.headers,
            body=hop.body,
            peer_ip=hop.peer_ip,
            fetched_at=hop.fetched_at,
            http_version=hop.http_version,
            request_headers=hop.request_headers,
        )
    _write_exchange(
        writer,
        url=result.final_url,
        status=result.status,
        reason=result.reason,
        headers=result.headers,
        body=result.body,
        peer_ip=result.peer_ip,
        fetched_at=result.fetched_at,
        http_version=result.http_version,
        request_headers=result.request_headers,
    )
    return out.getvalue()


def read_warc_response(data: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """The final response's status code, HTTP headers and payload: the last
    response record (those before it are the redirects that led to it)."""
    found = None
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type == "response" and record.http_headers is not None:
                status = int(record.http_headers.get_statuscode())
                headers = list(record.http_headers.headers)
                found = status, headers, record.content_stream().read()
    except Exception as exc:  # warcio raises assorted types on garbage
        raise WARCReadError(f"not a readable WARC file: {exc}") from exc
    if found is None:
        raise WARCReadError("the WARC file holds no response record")
    return found
