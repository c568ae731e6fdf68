"""WARC snapshots of fetched pages (pure Python, no Django).

``snapshot_warc(result)`` gives the bytes of a gzip-compressed WARC/1.0 file with
three records, each compressed on its own as the format recommends:

1. ``warcinfo``: the software and format;
2. ``response``: the final response of the fetch (after redirects), with
   WARC-Target-URI (the final URL), WARC-Date (when it was fetched) and
   WARC-IP-Address (the address actually connected to), the HTTP status line,
   the response headers and the body;
3. ``request``: the GET request that produced it, linked to the response by
   WARC-Concurrent-To (warcio writes the response before its request).

The fetcher hands us the *identity* body (de-chunked, and decoded if the server
gzipped it despite ``Accept-Encoding: identity``). So that WARC readers do not
try to de-chunk or decompress it a second time, ``Transfer-Encoding``,
``Content-Encoding`` and any ``Content-Length`` that does not match the stored
body are stored renamed with the usual ``X-Archive-Orig-`` prefix, and a
``Content-Length`` matching the stored body is added if missing. All other
headers are stored as received, in order.
"""

from __future__ import annotations

import io
from datetime import UTC

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


def _stored_headers(result: FetchResult) -> list[tuple[str, str]]:
    length = str(len(result.body))
    headers: list[tuple[str, str]] = []
    has_length = False
    for name, value in result.headers:
        lname = name.lower()
        if lname == "content-length" and value.strip() == length and not has_length:
            has_length = True
        elif lname in _RENAMED:
            name = f"{ORIG_PREFIX}{name}"
        headers.append((name, value))
    if not has_length:
        headers.append(("Content-Length", length))
    return headers


def snapshot_warc(result: FetchResult) -> bytes:
    """A gzipped WARC holding warcinfo, the final response and its request."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    warc_date = datetime_to_iso_date(result.fetched_at.astimezone(UTC).replace(tzinfo=None))

    writer.write_record(
        writer.create_warcinfo_record(
            "",
            {
                "software": SOFTWARE,
                "format": "WARC File Format 1.0",
                "http-header-user-agent": USER_AGENT,
                "description": f"snapshot of {result.final_url}",
            },
        )
    )

    common = {"WARC-Date": warc_date, "WARC-IP-Address": result.peer_ip}
    response = writer.create_warc_record(
        result.final_url,
        "response",
        payload=io.BytesIO(result.body),
        length=len(result.body),
        warc_headers_dict=dict(common),
        http_headers=StatusAndHeaders(
            f"{result.status} {result.reason}".strip(),
            _stored_headers(result),
            protocol=result.http_version,
        ),
    )
    request = writer.create_warc_record(
        result.final_url,
        "request",
        warc_headers_dict=dict(common),
        http_headers=StatusAndHeaders(
            f"GET {request_target(result.final_url)} {result.http_version}",
            list(result.request_headers),
            is_http_request=True,
        ),
    )
    writer.write_request_response_pair(request, response)
    return out.getvalue()


def read_warc_response(data: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """The first response record's status code, HTTP headers and payload."""
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type == "response" and record.http_headers is not None:
                status = int(record.http_headers.get_statuscode())
                headers = list(record.http_headers.headers)
                return status, headers, record.content_stream().read()
    except WARCReadError:
        raise
    except Exception as exc:  # warcio raises assorted types on garbage
        raise WARCReadError(f"not a readable WARC file: {exc}") from exc
    raise WARCReadError("the WARC file holds no response record")
