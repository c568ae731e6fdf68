"""The safe fetcher, against a real local HTTP(S) server.

Refusal tests use IP literals or a fake resolver and assert that no connection
was even attempted (socket.create_connection is wrapped to record its targets;
the real function still does the connecting).
"""

from __future__ import annotations

import gzip
import hashlib
import inspect
import os
import shutil
import socket
import ssl
import subprocess
import time
from datetime import UTC

import pytest

from safefetch.fetcher import (
    DEFAULT_CONTENT_TYPES,
    DEFAULT_MAX_BYTES,
    FetchCertificateError,
    FetchConnectionError,
    FetchContentTypeRefused,
    FetchDNSError,
    FetchError,
    FetchNetworkError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
    FetchTooManyRedirects,
    check_url,
    fetch,
)
from tests.http_test_server import LocalHTTPServer, free_port

LOCAL = ["127.0.0.1:*"]


@pytest.fixture
def server():
    with LocalHTTPServer() as s:
        yield s


@pytest.fixture
def connections(monkeypatch):
    """Every (host, port) the code connects to, in order. Still really connects."""
    targets: list[tuple[str, int]] = []
    real = socket.create_connection

    def recording(address, *args, **kwargs):
        targets.append((address[0], address[1]))
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", recording)
    return targets


class FakeResolver:
    """Answers from a table; each call pops the next answer for that host."""

    def __init__(self, answers: dict[str, list[list[str]]] | None = None) -> None:
        self.answers = {host: list(seq) for host, seq in (answers or {}).items()}
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        queue = self.answers.get(host)
        if not queue:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return queue.pop(0) if len(queue) > 1 else queue[0]


def must_not_resolve(host: str, port: int) -> list[str]:
    raise AssertionError(f"resolved {host} although it should have been refused before")


# --- Plain fetching -----------------------------------------------------------


def test_it_fetches_a_page_from_an_allowed_host(server):
    server.add_route("/a", body=b"<p>Hello</p>", content_type="text/html; charset=UTF-8")

    result = fetch(server.url("/a"), allowed_hosts=LOCAL)

    assert result.status == 200
    assert result.reason == "OK"
    assert result.body == b"<p>Hello</p>"
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.peer_ip == "127.0.0.1"
    assert result.sha256 == hashlib.sha256(b"<p>Hello</p>").hexdigest()
    assert result.requested_url == result.final_url == server.url("/a")
    assert result.redirects == []
    assert result.http_version == "HTTP/1.1"
    assert result.fetched_at.tzinfo == UTC
    assert ("Content-Type", "text/html; charset=UTF-8") in result.headers


def test_it_sends_host_user_agent_and_identity_encoding(server):
    server.add_route("/a", body=b"ok")

    result = fetch(server.url("/a"), allowed_hosts=LOCAL)

    sent = server.requests[0]
    assert sent.header("Host") == f"127.0.0.1:{server.port}"
    assert sent.header("User-Agent").startswith("ClaimsWorkbench/")
    assert sent.header("Accept-Encoding") == "identity"
    assert dict(result.request_headers)["Host"] == f"127.0.0.1:{server.port}"


def test_it_fetches_by_host_name_with_the_system_resolver(server):
    server.add_route("/a", body=b"ok")

    result = fetch(server.url("/a", host="localhost"), allowed_hosts=["localhost:*"])

    assert result.body == b"ok"
    assert result.peer_ip == "127.0.0.1"
    assert server.requests[0].header("Host") == f"localhost:{server.port}"


def test_it_decodes_text_with_the_declared_charset(server):
    server.add_route(
        "/a", body="café".encode("latin-1"), content_type="text/plain; charset=iso-8859-1"
    )

    result = fetch(server.url("/a"), allowed_hosts=LOCAL)

    assert result.charset == "iso-8859-1"
    assert result.text() == "café"


def test_it_returns_error_statuses_for_the_caller_to_judge(server):
    server.add_route("/gone", status=404, body=b"not here")
    server.add_route("/busy", status=503, body=b"{}", content_type="application/json")

    assert fetch(server.url("/gone"), allowed_hosts=LOCAL).status == 404
    assert fetch(server.url("/busy"), allowed_hosts=LOCAL).status == 503


def test_it_accepts_a_chunked_body(server):
    server.add_route("/a", body=b"y" * 5000, chunked=True)

    assert fetch(server.url("/a"), allowed_hosts=LOCAL).body == b"y" * 5000


def test_it_decodes_gzip_that_the_server_sends_despite_asking_for_identity(server):
    server.add_route(
        "/a", body=gzip.compress(b"<p>zipped</p>"), headers=[("Content-Encoding", "gzip")]
    )

    result = fetch(server.url("/a"), allowed_hosts=LOCAL)

    assert result.body == b"<p>zipped</p>"


# --- Redirects ----------------------------------------------------------------


def test_it_follows_a_relative_redirect_on_the_same_host(server):
    server.add_redirect("/old/page", "new?x=1")
    server.add_route("/old/new", body=b"moved")

    result = fetch(server.url("/old/page"), allowed_hosts=LOCAL)

    assert result.body == b"moved"
    assert result.final_url == server.url("/old/new?x=1")
    assert result.redirects == [server.url("/old/new?x=1")]
    assert result.requested_url == server.url("/old/page")


def test_it_follows_five_redirects(server):
    first = server.add_redirect_chain("/r", 5, "/final")
    server.add_route("/final", body=b"end")

    result = fetch(server.url(first), allowed_hosts=LOCAL)

    assert result.body == b"end"
    assert len(result.redirects) == 5


def test_it_refuses_a_sixth_redirect(server):
    first = server.add_redirect_chain("/r", 6, "/final")
    server.add_route("/final", body=b"end")

    with pytest.raises(FetchTooManyRedirects, match="more than 5 redirects"):
        fetch(server.url(first), allowed_hosts=LOCAL)
    assert server.hits("/final") == 0
    assert server.hits("/r/6") == 1


def test_it_refuses_a_redirect_from_an_allowed_name_to_an_address_not_allowed(server):
    server.add_redirect("/r", server.url("/secret", host="127.0.0.1"))
    server.add_route("/secret", body=b"internal")

    with pytest.raises(FetchRefused, match=r"127\.0\.0\.1 is a loopback address") as info:
        fetch(server.url("/r", host="localhost"), allowed_hosts=["localhost:*"])
    assert "redirected from" in str(info.value)
    assert server.hits("/secret") == 0


def test_it_refuses_a_redirect_to_the_metadata_address_without_connecting(server, connections):
    server.add_redirect("/r", "http://169.254.169.254/latest/meta-data/")

    with pytest.raises(FetchRefused, match="cloud metadata"):
        fetch(server.url("/r"), allowed_hosts=LOCAL)
    assert connections == [("127.0.0.1", server.port)]


def test_it_refuses_a_redirect_to_a_file_url(server, connections):
    server.add_redirect("/r", "file:///etc/passwd")

    with pytest.raises(FetchRefused, match="scheme 'file' is not allowed"):
        fetch(server.url("/r"), allowed_hosts=LOCAL)
    assert connections == [("127.0.0.1", server.port)]


# --- Size, time and type limits -----------------------------------------------


def test_it_refuses_a_body_declared_larger_than_max_bytes(server):
    server.add_route("/big", body=b"x" * 2000)

    with pytest.raises(FetchTooLarge, match="2000 bytes, over the 1000 bytes limit"):
        fetch(server.url("/big"), allowed_hosts=LOCAL, max_bytes=1000)


def test_it_accepts_a_body_of_exactly_max_bytes(server):
    server.add_route("/exact", body=b"x" * 1000)

    assert len(fetch(server.url("/exact"), allowed_hosts=LOCAL, max_bytes=1000).body) == 1000


def test_it_refuses_an_endless_body_without_a_length(server):
    server.add_endless("/endless")

    with pytest.raises(FetchTooLarge, match="larger than the 100000 bytes limit"):
        fetch(server.url("/endless"), allowed_hosts=LOCAL, max_bytes=100_000)


def test_it_refuses_an_endless_chunked_body(server):
    server.add_endless("/endless", chunked=True, chunk=b"z" * 1000)

    with pytest.raises(FetchTooLarge):
        fetch(server.url("/endless"), allowed_hosts=LOCAL, max_bytes=50_000)


def test_it_refuses_a_body_that_outgrows_a_lying_content_length(server):
    server.add_endless("/liar", content_length=10)

    # http.client stops at the declared length, so the lie only truncates.
    result = fetch(server.url("/liar"), allowed_hosts=LOCAL, max_bytes=100)
    assert len(result.body) == 10


def test_it_caps_bodies_at_five_megabytes_by_default(server):
    assert DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    assert inspect.signature(fetch).parameters["max_bytes"].default == DEFAULT_MAX_BYTES
    server.add_endless("/endless")

    with pytest.raises(FetchTooLarge, match="5 MB limit"):
        fetch(server.url("/endless"), allowed_hosts=LOCAL)


def test_it_caps_the_decoded_size_of_a_gzip_bomb(server):
    bomb = gzip.compress(b"\0" * 2_000_000)
    assert len(bomb) < 10_000
    server.add_route("/bomb", body=bomb, headers=[("Content-Encoding", "gzip")])

    with pytest.raises(FetchTooLarge):
        fetch(server.url("/bomb"), allowed_hosts=LOCAL, max_bytes=100_000)


def test_it_cuts_off_a_slow_trickle_at_the_total_timeout(server):
    server.add_trickle("/slow", interval=0.05, body=b"x" * 10_000)

    start = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(server.url("/slow"), allowed_hosts=LOCAL, total_timeout=1.0)
    elapsed = time.monotonic() - start

    assert 0.9 <= elapsed < 3


def test_it_cuts_off_trickled_headers_at_the_total_timeout(server):
    server.add_trickle("/slow-headers", interval=0.02, in_headers=True)

    start = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(server.url("/slow-headers"), allowed_hosts=LOCAL, total_timeout=0.5)

    assert time.monotonic() - start < 2


def test_it_refuses_a_content_type_the_caller_did_not_allow(server):
    server.add_route("/img", body=b"\x89PNG", content_type="image/png")

    with pytest.raises(FetchContentTypeRefused, match="is image/png"):
        fetch(server.url("/img"), allowed_hosts=LOCAL)


def test_it_refuses_a_response_without_a_content_type(server):
    server.add_route("/blob", body=b"???", content_type=None)

    with pytest.raises(FetchContentTypeRefused, match="no Content-Type"):
        fetch(server.url("/blob"), allowed_hosts=LOCAL)


def test_it_accepts_a_content_type_the_caller_allows(server):
    server.add_route("/doc.pdf", body=b"%PDF-1.4", content_type="application/pdf")

    result = fetch(
        server.url("/doc.pdf"),
        allowed_hosts=LOCAL,
        allowed_content_types=[*DEFAULT_CONTENT_TYPES, "application/pdf"],
    )

    assert result.content_type == "application/pdf"


def test_it_accepts_html_and_plain_text_by_default():
    assert {"text/html", "text/plain"} <= DEFAULT_CONTENT_TYPES
    assert "application/pdf" not in DEFAULT_CONTENT_TYPES


# --- Schemes and URL tricks ---------------------------------------------------


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("file:///etc/passwd", "file"),
        ("ftp://example.com/file.txt", "ftp"),
        ("gopher://example.com:70/1", "gopher"),
        ("javascript:alert(1)", "javascript"),
        ("data:text/html,<script>alert(1)</script>", "data"),
        ("FILE:///etc/passwd", "file"),
    ],
)
def test_it_refuses_schemes_other_than_http_and_https(url, scheme, connections):
    with pytest.raises(FetchRefused) as info:
        fetch(url, resolver=must_not_resolve)

    assert str(info.value) == f"refused: scheme '{scheme}' is not allowed; only http and https"
    assert connections == []


@pytest.mark.parametrize(
    "url",
    ["http://evil@127.0.0.1/", "http://user:pass@example.com/", "http://example.com@10.0.0.1/"],
)
def test_it_refuses_urls_with_credentials(url, connections):
    with pytest.raises(FetchRefused, match=r"user name or password"):
        fetch(url, resolver=must_not_resolve)
    assert connections == []


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",
        "http://0x7f000001/",
        "http://017700000001/",
        "http://127.1/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://127.0.0.1./",
        "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",  # full-width digits
    ],
)
def test_it_reads_numeric_ipv4_spellings_as_the_address_they_denote(url):
    with pytest.raises(FetchRefused, match=r"is 127\.0\.0\.1, a loopback address"):
        check_url(url, resolver=must_not_resolve)


@pytest.mark.parametrize(
    "url",
    [
        "http://256.0.0.1/",
        "http://1.2.3.4.5/",
        "http://0x100000000/",
        "http://09.0.0.1/",
        "http://[fe80::1%25eth0]/",
        "http://[::1/",
        "http://exa mple.com/",
        "http://127%2e0%2e0%2e1/",
        "http:///path",
        "not a url",
    ],
)
def test_it_refuses_malformed_hosts(url, connections):
    with pytest.raises(FetchRefused, match=r"^refused: "):
        fetch(url, resolver=must_not_resolve)
    assert connections == []


# --- Address classes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        ("http://172.16.0.1/", "172.16.0.1 is a private address"),
        ("http://192.168.1.1/", "192.168.1.1 is a private address"),
        ("http://169.254.169.254/", "169.254.169.254 is a cloud metadata service address"),
        ("http://169.254.1.1/", "169.254.1.1 is a link-local address"),
        ("http://100.64.0.1/", "100.64.0.1 is a carrier-grade NAT (shared) address"),
        ("http://100.100.100.200/", "100.100.100.200 is a cloud metadata service address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://255.255.255.255/", "255.255.255.255 is a broadcast address"),
        ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
        ("http://192.0.2.1/", "192.0.2.1 is a documentation (reserved) address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://[::]/", ":: is an unspecified address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://[fc00::1]/", "fc00::1 is a unique-local (private) address"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata service address"),
        ("http://[ff02::1]/", "ff02::1 is a multicast address"),
        ("http://[2001:db8::1]/", "2001:db8::1 is a documentation (reserved) address"),
        (
            "http://[::ffff:127.0.0.1]/",
            "::ffff:127.0.0.1 is an IPv4-mapped form of 127.0.0.1, a loopback address",
        ),
        (
            "http://[::ffff:a9fe:a9fe]/",
            "::ffff:a9fe:a9fe is an IPv4-mapped form of 169.254.169.254, a cloud metadata",
        ),
        ("http://[2002:7f00:1::]/", "2002:7f00:1:: is a 6to4 form of 127.0.0.1, a loopback"),
        ("http://[64:ff9b::a00:1]/", "64:ff9b::a00:1 is a NAT64 form of 10.0.0.1, a private"),
    ],
)
def test_it_refuses_each_non_public_address_class_without_connecting(url, message, connections):
    with pytest.raises(FetchRefused) as info:
        fetch(url, resolver=must_not_resolve)

    assert str(info.value).startswith(f"refused: {message}")
    assert connections == []


@pytest.mark.parametrize(
    "url",
    ["http://93.184.216.34/", "https://[2606:4700:4700::1111]/", "http://[2002:5db8:d822::1]/"],
)
def test_it_passes_public_addresses(url):
    assert len(check_url(url, resolver=must_not_resolve)) == 1


def test_it_refuses_a_host_name_that_resolves_to_a_private_address(connections):
    resolver = FakeResolver({"intranet.example": [["10.1.2.3"]]})

    with pytest.raises(FetchRefused) as info:
        fetch("http://intranet.example/", resolver=resolver)

    assert str(info.value) == "refused: intranet.example resolves to 10.1.2.3, a private address"
    assert connections == []


def test_it_refuses_a_host_name_if_any_of_its_addresses_is_private():
    resolver = FakeResolver({"mixed.example": [["93.184.216.34", "10.0.0.5"]]})

    with pytest.raises(FetchRefused, match=r"mixed\.example resolves to 10\.0\.0\.5"):
        check_url("http://mixed.example/", resolver=resolver)


def test_it_refuses_localhost_with_the_system_resolver(connections):
    with pytest.raises(FetchRefused) as info:
        fetch("http://localhost/")

    assert str(info.value) in {
        "refused: localhost resolves to 127.0.0.1, a loopback address",
        "refused: localhost resolves to ::1, a loopback address",
    }
    assert connections == []


def test_it_returns_the_checked_addresses_from_check_url():
    resolver = FakeResolver({"example.org": [["93.184.216.34", "2606:2800:220:1::1"]]})

    addresses = check_url("https://Example.ORG./path", resolver=resolver)

    assert addresses == ("93.184.216.34", "2606:2800:220:1::1")
    assert resolver.calls == [("example.org", 443)]


@pytest.mark.parametrize(
    "url", ["http://metadata.google.internal/computeMetadata/v1/", "http://METADATA.goog/"]
)
def test_it_refuses_cloud_metadata_host_names_without_resolving(url):
    with pytest.raises(FetchRefused, match="cloud metadata service name"):
        check_url(url, allowed_hosts=["metadata.google.internal:*"], resolver=must_not_resolve)


def test_it_refuses_metadata_addresses_even_when_allowlisted():
    with pytest.raises(FetchRefused, match="cloud metadata"):
        check_url("http://169.254.169.254/", allowed_hosts=["169.254.169.254:*"])


# --- Allowlist ----------------------------------------------------------------


def test_it_allows_an_allowlisted_host_on_the_allowlisted_port_only(server):
    server.add_route("/a", body=b"ok")

    assert fetch(server.url("/a"), allowed_hosts=[f"127.0.0.1:{server.port}"]).body == b"ok"
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(server.url("/a"), allowed_hosts=["127.0.0.1:1"])


def test_it_matches_the_allowlist_case_insensitively(server):
    server.add_route("/a", body=b"ok")

    assert fetch(server.url("/a", host="LocalHost"), allowed_hosts=["LOCALHOST:*"]).body == b"ok"


# --- DNS rebinding: connect to what was checked -------------------------------


def test_it_connects_to_the_address_it_checked_when_dns_changes(server, connections):
    server.add_route("/a", body=b"ok")
    # First answer is checked (allowed via the allowlist); a second lookup
    # would get another address. The connection must go to the first one.
    resolver = FakeResolver({"rebind.test": [["127.0.0.1"], ["10.66.66.66"]]})

    result = fetch(
        f"http://rebind.test:{server.port}/a", allowed_hosts=["rebind.test:*"], resolver=resolver
    )

    assert result.peer_ip == "127.0.0.1"
    assert resolver.calls == [("rebind.test", server.port)]
    assert connections == [("127.0.0.1", server.port)]
    assert server.requests[0].header("Host") == f"rebind.test:{server.port}"


def test_it_resolves_once_per_hop_and_connects_to_each_checked_address(server, connections):
    server.add_redirect("/a", f"http://two.test:{server.port}/b")
    server.add_route("/b", body=b"ok")
    resolver = FakeResolver(
        {
            "one.test": [["127.0.0.1"], ["10.9.9.9"]],
            "two.test": [["127.0.0.1"], ["10.9.9.9"]],
        }
    )

    result = fetch(
        f"http://one.test:{server.port}/a",
        allowed_hosts=["one.test:*", "two.test:*"],
        resolver=resolver,
    )

    assert result.body == b"ok"
    assert resolver.calls == [("one.test", server.port), ("two.test", server.port)]
    assert connections == [("127.0.0.1", server.port), ("127.0.0.1", server.port)]
    assert [r.header("Host") for r in server.requests] == [
        f"one.test:{server.port}",
        f"two.test:{server.port}",
    ]


def test_it_checks_a_redirect_target_with_a_fresh_lookup(server, connections):
    server.add_redirect("/a", "http://evil.test/")
    resolver = FakeResolver({"evil.test": [["192.168.0.10"]]})

    with pytest.raises(FetchRefused, match=r"evil\.test resolves to 192\.168\.0\.10"):
        fetch(server.url("/a"), allowed_hosts=LOCAL, resolver=resolver)
    assert connections == [("127.0.0.1", server.port)]


# --- Network errors are transient, refusals are not ---------------------------


def test_it_reports_connection_refused_as_a_network_error():
    port = free_port()

    with pytest.raises(FetchConnectionError, match="connection refused") as info:
        fetch(f"http://127.0.0.1:{port}/", allowed_hosts=LOCAL)

    assert isinstance(info.value, FetchNetworkError)
    assert info.value.retryable


def test_it_reports_a_dns_failure_as_a_network_error():
    with pytest.raises(FetchDNSError, match=r"could not resolve nowhere\.test") as info:
        fetch("http://nowhere.test/", resolver=FakeResolver())

    assert isinstance(info.value, FetchNetworkError)


def test_it_reports_a_server_hanging_up_as_a_network_error(server):
    server.add_handler("/hangup", lambda handler: None)  # closes without a response

    with pytest.raises(FetchConnectionError, match="without a response"):
        fetch(server.url("/hangup"), allowed_hosts=LOCAL)


def test_it_reports_a_truncated_body_as_a_network_error(server):
    server.add_route("/short", body=b"only ten!!", content_length=1000)

    with pytest.raises(FetchConnectionError, match="before the whole body"):
        fetch(server.url("/short"), allowed_hosts=LOCAL)


def test_it_distinguishes_refusals_from_transient_errors():
    assert issubclass(FetchRefused, FetchError)
    assert issubclass(FetchNetworkError, FetchError)
    assert issubclass(FetchTimeout, FetchNetworkError)
    for permanent in (FetchTooLarge, FetchContentTypeRefused, FetchTooManyRedirects):
        assert issubclass(permanent, FetchRefused)
        assert not permanent.retryable
    assert FetchNetworkError.retryable
    assert not issubclass(FetchNetworkError, FetchRefused)


# --- https --------------------------------------------------------------------


@pytest.fixture(scope="module")
def localhost_cert(tmp_path_factory):
    """A self-signed certificate valid for the name "localhost" only."""
    openssl = shutil.which("openssl")
    if openssl is None:
        # CI must never pass by skipping: there a missing openssl is a failure.
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("openssl is not installed; the https tests need it")
        pytest.skip("openssl is not installed")
    tmp = tmp_path_factory.mktemp("tls")
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.fixture
def tls_server(localhost_cert):
    with LocalHTTPServer(tls=localhost_cert) as s:
        yield s


def test_it_fetches_https_verifying_the_certificate_for_the_host_name(tls_server, localhost_cert):
    tls_server.add_route("/a", body=b"secure")
    context = ssl.create_default_context(cafile=localhost_cert[0])

    result = fetch(
        tls_server.url("/a", host="localhost"), allowed_hosts=["localhost:*"], ssl_context=context
    )

    assert result.body == b"secure"
    assert result.peer_ip == "127.0.0.1"


def test_it_refuses_https_when_the_certificate_does_not_name_the_host(tls_server, localhost_cert):
    tls_server.add_route("/a", body=b"secure")
    context = ssl.create_default_context(cafile=localhost_cert[0])

    # Same server, same address, but the URL names 127.0.0.1, which the cert does not.
    with pytest.raises(FetchCertificateError, match=r"certificate of 127\.0\.0\.1") as info:
        fetch(tls_server.url("/a"), allowed_hosts=LOCAL, ssl_context=context)
    assert not info.value.retryable


def test_it_verifies_certificates_by_default(tls_server):
    tls_server.add_route("/a", body=b"secure")

    with pytest.raises(FetchCertificateError):
        fetch(tls_server.url("/a", host="localhost"), allowed_hosts=["localhost:*"])


def test_an_allowlist_entry_must_name_its_port(server):
    """Also seen in the review: a bare "127.0.0.1" opened every port of it."""
    server.add_route("/a", body=b"ok")
    for entry in ("127.0.0.1", "localhost", "[::1]"):
        with pytest.raises(ValueError, match="must name a port"):
            fetch(server.url("/a"), allowed_hosts=[entry])
    with pytest.raises(ValueError, match="invalid allowed_hosts entry"):
        fetch(server.url("/a"), allowed_hosts=["127.0.0.1:70000"])
    with pytest.raises(FetchRefused):
        fetch(server.url("/a"), allowed_hosts=[f"127.0.0.1:{server.port + 1}"])
    assert fetch(server.url("/a"), allowed_hosts=[f"127.0.0.1:{server.port}"]).status == 200
