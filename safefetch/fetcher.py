"""Fetch analyst-supplied URLs without letting them reach the inside network.

Pure Python (no Django). The background fetch job calls :func:`fetch`; forms can
call :func:`check_url` to reject an obviously unsafe URL before queueing a job.

What the fetcher guarantees, per hop (the first request and every redirect):

* Only ``http`` and ``https`` URLs, without ``user:password@`` credentials.
* The host is parsed the way browsers do (WHATWG): numeric IPv4 spellings such as
  ``2130706433``, ``0x7f000001``, ``017700000001`` or ``127.1`` are read as the
  address they denote (127.0.0.1) and checked as such; IPv6 zone ids are refused.
* The host name is resolved exactly once. If *any* resolved address is not a
  public unicast address (loopback, private, carrier-grade NAT, link-local,
  multicast, unspecified, reserved, documentation, IPv4-mapped/translated, 6to4
  and NAT64 forms of any of those, ...), the URL is refused. We refuse rather
  than pick the safe addresses: a name that mixes public and private answers is
  suspicious, and refusing is simpler to reason about.
* The connection goes to one of exactly those checked addresses (never a second
  lookup), so a DNS answer that changes between check and connect (DNS
  rebinding) cannot slip through. The original host is sent in ``Host`` and, for
  https, as SNI, and the certificate is verified against that host name.
* Cloud metadata addresses (169.254.169.254, fd00:ec2::254, 100.100.100.200, ...)
  and names (metadata.google.internal, ...) are refused always, even for hosts
  on the allowlist.

``allowed_hosts`` names hosts that may be fetched although they resolve to
non-public addresses (the tests' local server, a dev proxy). An entry must name
its port: ``host:port`` (that port only; ``[v6]:port`` for IPv6 literals), or
``host:*`` to allow every port on purpose; a bare ``host`` is refused, since it
used to open every port of that address without anyone choosing to.
It matches the host *as written in the URL of each hop* (case-insensitive, IP
literals compared in canonical form), so allowing ``localhost`` does not allow a
redirect to ``http://127.0.0.1/``.

Limits: at most ``max_redirects`` redirects (one more is refused), a body cap
(``max_bytes``, checked against ``Content-Length`` up front and while reading;
never more than cap+1 bytes are buffered), a connect timeout per address and a
total deadline covering DNS, connect, TLS, request, headers, body and all
redirects (a server trickling bytes is cut off at the deadline).

Encoding: we ask for ``Accept-Encoding: identity``. A server that sends gzip or
deflate anyway is decoded, with the cap applied to the *decoded* size (and to
the bytes on the wire); other encodings are refused. ``FetchResult.body`` is
therefore always the identity payload (also de-chunked); ``headers`` are kept
exactly as received.

Statuses: 3xx with a Location is followed; every other status, including 4xx
and 5xx, is returned as a :class:`FetchResult` and the caller decides (a job
might retry 502/503/504 and give up on 404). The content type is only enforced
for 2xx responses: error pages come back whatever their type (their size is
still capped). A response without a Content-Type counts as
``application/octet-stream``.

Errors: everything raised is a :class:`FetchError` with a message meant for the
user. :class:`FetchRefused` (and its subclasses) are permanent: do not retry.
:class:`FetchNetworkError` (DNS failure, connection refused/reset, timeouts,
garbled HTTP) is transient: retry with backoff. ``exc.retryable`` says which.
TLS certificate failures are :class:`FetchCertificateError`, a refusal.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import http.client
import io
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urljoin, urlsplit

__all__ = [
    "DEFAULT_CONTENT_TYPES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "PDF_CONTENT_TYPE",
    "USER_AGENT",
    "FetchCertificateError",
    "FetchConnectionError",
    "FetchContentTypeRefused",
    "FetchDNSError",
    "FetchError",
    "FetchNetworkError",
    "FetchProtocolError",
    "FetchRefused",
    "FetchResult",
    "FetchTimeout",
    "FetchTooLarge",
    "FetchTooManyRedirects",
    "Hop",
    "check_url",
    "classify_address",
    "fetch",
    "request_target",
]


USER_AGENT = "ClaimsWorkbench/0.1 (source-claims fact-checking workbench)"


DEFAULT_MAX_BYTES = 5 * 1024 * 1024


DEFAULT_CONNECT_TIMEOUT = 5.0


DEFAULT_TOTAL_TIMEOUT = 20.0


DEFAULT_MAX_REDIRECTS = 5


DEFAULT_CONTENT_TYPES: frozenset[str] = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain"}
)


PDF_CONTENT_TYPE = "application/pdf"


MAX_URL_LENGTH = 8192


_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


_READ_CHUNK = 64 * 1024


Resolver = Callable[[str, int], list[str]]


_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(Exception):
    """Base class. ``str(exc)`` is a message fit to show the user."""

    retryable = False

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return self.message


class FetchRefused(FetchError):
    """Permanent: the URL or the response is not acceptable. Never retry."""

    retryable = False


class FetchTooLarge(FetchRefused):
    """The body is over the size cap."""


class FetchContentTypeRefused(FetchRefused):
    """The response's media type is not one the caller accepts."""


class FetchTooManyRedirects(FetchRefused):
    """The redirect chain is longer than allowed."""


class FetchCertificateError(FetchRefused):
    """The https certificate could not be verified for the host name."""


class FetchNetworkError(FetchError):
    """Transient: the network or the server failed. Retry with backoff."""

    retryable = True


class FetchDNSError(FetchNetworkError):
    """The host name could not be resolved."""


class FetchConnectionError(FetchNetworkError):
    """Connection refused, reset, or closed early; TLS handshake failure."""


class FetchTimeout(FetchNetworkError):
    """The connect timeout or the total deadline ran out."""


class FetchProtocolError(FetchNetworkError):
    """The server did not speak valid HTTP (or sent a corrupt encoding)."""


# A redirect's body is kept for the archive up to this size (they are a line
# of HTML, when there is one); a larger one is archived without its body.
REDIRECT_BODY_MAX = 64 * 1024


@dataclass(frozen=True)
class Hop:
    """One redirect followed on the way to the final response, as exchanged,
    so an archive can replay the URL that was asked for."""

    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]  # raw response headers, in order, as received
    body: bytes  # identity payload; b"" when over REDIRECT_BODY_MAX or unreadable
    peer_ip: str
    fetched_at: datetime
    http_version: str
    request_headers: list[tuple[str, str]]
    location: str  # the next URL, resolved


@dataclass(frozen=True)
class FetchResult:
    requested_url: str
    final_url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]  # raw response headers, in order, as received
    content_type: str  # media type, lower-case, no parameters ("" if absent)
    charset: str | None
    body: bytes  # identity payload: de-chunked and decoded from gzip/deflate
    peer_ip: str  # the address actually connected to
    redirects: list[str]  # each redirect target followed, in order (final_url last)
    fetched_at: datetime  # when the final response's headers arrived (UTC)
    http_version: str  # "HTTP/1.1"
    request_headers: list[tuple[str, str]]  # as sent for the final request
    hops: tuple[Hop, ...] = ()  # each redirect response before the final one, in order

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def header(self, name: str, default: str | None = None) -> str | None:
        """The first response header called ``name`` (case-insensitive)."""
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return default

    def text(self) -> str:
        """The body decoded with its charset (a BOM wins), else UTF-8; bad bytes replaced."""
        body = self.body
        for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                              (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
            if body.startswith(bom):
                return body.decode(encoding, errors="replace")
        encoding = self.charset or "utf-8"
        try:
            codecs.lookup(encoding)
        except LookupError:
            encoding = "utf-8"
        return body.decode(encoding, errors="replace")


_METADATA_IPS: frozenset[_IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, ...
        "169.254.170.2",  # AWS ECS task metadata
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud (legacy)
        "fd00:ec2::254",  # AWS IMDS over IPv6
    )
)


_METADATA_HOSTNAMES = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
    }
)


_V4_BLOCKS: tuple[tuple[ipaddress.IPv4Network, str], ...] = tuple(
    (ipaddress.IPv4Network(net), reason)
    for net, reason in (
        ("0.0.0.0/32", "an unspecified address"),
        ("0.0.0.0/8", "a 'this network' (reserved) address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "an IETF protocol (reserved) address"),
        ("192.0.2.0/24", "a documentation (reserved) address"),
        ("192.88.99.0/24", "a 6to4 relay (reserved) address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a benchmarking (reserved) address"),
        ("198.51.100.0/24", "a documentation (reserved) address"),
        ("203.0.113.0/24", "a documentation (reserved) address"),
        ("224.0.0.0/4", "a multicast address"),
        ("255.255.255.255/32", "a broadcast address"),
        ("240.0.0.0/4", "a reserved address"),
    )
)


_V6_BLOCKS: tuple[tuple[ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.IPv6Network(net), reason)
    for net, reason in (
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("::/96", "a deprecated IPv4-compatible address"),
        ("64:ff9b:1::/48", "a local-use NAT64 address"),
        ("100::/64", "a discard-only address"),
        ("2001::/32", "a Teredo tunnel address"),
        ("2001::/23", "an IETF protocol (reserved) address"),
        ("2001:db8::/32", "a documentation (reserved) address"),
        ("3fff::/20", "a documentation (reserved) address"),
        ("fc00::/7", "a unique-local (private) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local (deprecated) address"),
        ("ff00::/8", "a multicast address"),
    )
)


_V6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")


_V6_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


_V6_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")


_V6_SPECIAL_FIRST = (ipaddress.IPv6Network("::/128"), ipaddress.IPv6Network("::1/128"))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """An IPv4 address carried inside an IPv6 one, with the name of the form."""
    if any(ip in net for net in _V6_SPECIAL_FIRST):
        return None
    if ip.ipv4_mapped is not None:
        return "an IPv4-mapped form", ip.ipv4_mapped
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _V6_TRANSLATED:
        return "an IPv4-translated form", low32
    if ip in _V6_NAT64:
        return "a NAT64 form", low32
    if ip.sixtofour is not None:
        return "a 6to4 form", ip.sixtofour
    return None


def _is_metadata(ip: _IPAddress) -> bool:
    if ip in _METADATA_IPS:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        return embedded is not None and embedded[1] in _METADATA_IPS
    return False


def classify_address(ip: str | _IPAddress) -> str | None:
    """Why ``ip`` may not be fetched (e.g. ``"a loopback address"``), or None if public."""
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip)
    if ip in _METADATA_IPS:
        return "a cloud metadata service address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            form, v4 = embedded
            inner = classify_address(v4)
            return f"{form} of {v4}, {inner}" if inner else None
        for net, reason in _V6_BLOCKS:
            if ip in net:
                return reason
        if ip not in _V6_GLOBAL_UNICAST:
            return "a reserved address"
    else:
        for net, reason in _V4_BLOCKS:
            if ip in net:
                return reason
    if not ip.is_global:  # belt and braces: whatever else the stdlib knows about
        return "a non-public (reserved) address"
    return None


_HOSTNAME_RE = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


_PATH_SAFE = "/%!$&'()*+,;=:@~"


_QUERY_SAFE = _PATH_SAFE + "?"


@dataclass(frozen=True)
class _Host:
    written: str  # as written in the URL (lower-case, no brackets)
    key: str  # canonical: IDNA-encoded name without trailing dot, or the IP's str()
    ip: _IPAddress | None  # set for IP literals (including numeric IPv4 forms)

    @property
    def header(self) -> str:
        """The host as it goes in a Host header / authority."""
        return f"[{self.key}]" if isinstance(self.ip, ipaddress.IPv6Address) else self.key


def _ends_in_number(host: str) -> bool:
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    last = labels[-1]
    if last.isascii() and last.isdigit():
        return True
    return last[:2] in ("0x", "0X") and all(c in "0123456789abcdefABCDEF" for c in last[2:])


def _parse_ipv4_number(part: str) -> int:
    if part == "":
        raise ValueError(part)
    if part[:2] in ("0x", "0X"):
        digits = part[2:]
        return int(digits, 16) if digits else 0
    if len(part) > 1 and part[0] == "0":
        return int(part[1:], 8)
    if not (part.isascii() and part.isdigit()):
        raise ValueError(part)
    return int(part, 10)


def _parse_whatwg_ipv4(host: str) -> ipaddress.IPv4Address:
    """The WHATWG URL IPv4 parser: '127.1', '0x7f000001', '017700000001', ... ."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        raise ValueError(host)
    numbers = [_parse_ipv4_number(p) for p in parts]  # ValueError on junk
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(host)
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(value)


def _parse_host(raw: str) -> _Host:
    """Canonicalise a host from a URL or an allowlist entry. ValueError if invalid."""
    written = raw.lower()
    if not written:
        raise ValueError("the URL has no host")
    if ":" in written:  # only bracketed IPv6 literals get here with a colon
        if "%" in written:
            raise ValueError(f"IPv6 zone identifiers are not allowed ({written})")
        try:
            ip6 = ipaddress.IPv6Address(written)
        except ValueError:
            raise ValueError(f"{written!r} is not a valid IPv6 address") from None
        return _Host(written, str(ip6), ip6)
    try:
        name = written.encode("idna").decode("ascii")  # also NFKC-maps full-width digits
    except UnicodeError:
        raise ValueError(f"{written!r} is not a valid host name") from None
    name = name.lower()
    if name.endswith("."):
        name = name[:-1]
    if not name:
        raise ValueError("the URL has no host")
    if _ends_in_number(name):
        try:
            ip4 = _parse_whatwg_ipv4(name)
        except ValueError:
            raise ValueError(f"{written!r} is not a valid IPv4 address") from None
        return _Host(written, str(ip4), ip4)
    if not _HOSTNAME_RE.fullmatch(name) or len(name) > 253:
        raise ValueError(f"{written!r} is not a valid host name")
    return _Host(written, name, None)


def request_target(url: str) -> str:
    """The request-target (path and query, percent-encoded) used for ``url``."""
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        return f"{path}?{quote(parts.query, safe=_QUERY_SAFE)}"
    return path


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: _Host
    port: int
    explicit_port: bool

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        if self.explicit_port and self.port != default:
            return f"{self.host.header}:{self.port}"
        return self.host.header


def _parse_url(url: str) -> _Target:
    def refuse(why: str) -> FetchRefused:
        return FetchRefused(f"refused: {why}", url=url)

    if not isinstance(url, str):
        raise refuse(f"the URL must be text, not {type(url).__name__}")
    if not url.strip():
        raise refuse("the URL is empty")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise refuse(f"the URL is longer than {MAX_URL_LENGTH} characters")
    if _CONTROL_RE.search(url):
        raise refuse("the URL contains control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise refuse(f"{url!r} is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise refuse(f"{url!r} is not an absolute URL (no http:// or https://)")
    if scheme not in ("http", "https"):
        raise refuse(f"scheme {scheme!r} is not allowed; only http and https")
    if "@" in parts.netloc:
        raise refuse("URLs with a user name or password (user@host) are not allowed")
    if "\\" in parts.netloc:
        raise refuse("the URL's host contains a backslash")
    try:
        host = _parse_host(parts.hostname or "")
    except ValueError as exc:
        raise refuse(str(exc)) from None
    if port == 0:
        raise refuse("port 0 is not allowed")
    return _Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port if port is not None else (443 if scheme == "https" else 80),
        explicit_port=port is not None,
    )


def _parse_allowed_hosts(entries: Iterable[str]) -> frozenset[tuple[str, int | None]]:
    if isinstance(entries, str):
        entries = [entries]
    allowed: set[tuple[str, int | None]] = set()
    for entry in entries:
        text = entry.strip().lower()
        port: str | None = None
        if text.startswith("["):
            host, _, rest = text[1:].partition("]")
            if rest:
                if not rest.startswith(":"):
                    raise ValueError(f"invalid allowed_hosts entry {entry!r}")
                port = rest[1:]
        elif text.count(":") == 1:
            host, _, port = text.partition(":")
        else:
            host = text
        if not port:
            raise ValueError(
                f"allowed_hosts entry {entry!r} must name a port (host:8080), "
                "or host:* to allow every port"
            )
        try:
            key = _parse_host(host).key
            number = None if port == "*" else int(port)
            if number is not None and not 0 < number < 65536:
                raise ValueError(port)
            allowed.add((key, number))
        except ValueError:
            raise ValueError(f"invalid allowed_hosts entry {entry!r}") from None
    return frozenset(allowed)


def _default_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _remaining(deadline: float, url: str, what: str) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchTimeout(f"timed out {what} {url} (total time limit reached)", url=url)
    return remaining


def _resolve(host: str, port: int, resolver: Resolver, deadline: float, url: str) -> list[str]:
    """Run the resolver once, bounded by the deadline (getaddrinfo has no timeout)."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = resolver(host, port)
        except BaseException as exc:  # re-raised in the calling thread
            box["error"] = exc

    thread = threading.Thread(target=run, name=f"fetch-resolve-{host}", daemon=True)
    thread.start()
    thread.join(_remaining(deadline, url, "resolving"))
    if thread.is_alive():
        raise FetchTimeout(f"timed out resolving {host} (total time limit reached)", url=url)
    error = box.get("error")
    if isinstance(error, FetchError):
        raise error
    if isinstance(error, socket.gaierror):
        raise FetchDNSError(f"could not resolve {host}: {error.strerror or error}", url=url)
    if isinstance(error, OSError):
        raise FetchDNSError(f"could not resolve {host}: {error}", url=url)
    if isinstance(error, BaseException):
        raise error
    result = box["result"]
    if not result:
        raise FetchDNSError(f"could not resolve {host}: no addresses", url=url)
    return list(result)  # type: ignore[call-overload]


def _check(
    target: _Target,
    allowed: frozenset[tuple[str, int | None]],
    resolver: Resolver,
    deadline: float,
) -> tuple[str, ...]:
    """The addresses ``target`` may be connected to; FetchRefused if any is unsafe."""
    host = target.host
    url = target.url
    if host.key in _METADATA_HOSTNAMES:
        raise FetchRefused(f"refused: {host.written} is a cloud metadata service name", url=url)
    is_allowed = (host.key, None) in allowed or (host.key, target.port) in allowed

    if host.ip is not None:
        reason = classify_address(host.ip)
        if reason and (not is_allowed or _is_metadata(host.ip)):
            if host.written != host.key and ":" not in host.written:
                raise FetchRefused(f"refused: {host.written} is {host.key}, {reason}", url=url)
            raise FetchRefused(f"refused: {host.written} is {reason}", url=url)
        return (str(host.ip),)

    addresses: list[str] = []
    for answer in _resolve(host.key, target.port, resolver, deadline, url):
        try:
            ip = ipaddress.ip_address(str(answer).split("%", 1)[0])
        except ValueError:
            raise FetchRefused(
                f"refused: resolving {host.key} gave {answer!r}, which is not an IP address",
                url=url,
            ) from None
        reason = classify_address(ip)
        if reason and (not is_allowed or _is_metadata(ip)):
            raise FetchRefused(f"refused: {host.key} resolves to {answer}, {reason}", url=url)
        if str(ip) not in addresses:
            addresses.append(str(ip))
    return tuple(addresses)


def check_url(
    url: str,
    *,
    allowed_hosts: Iterable[str] = (),
    resolver: Resolver | None = None,
) -> tuple[str, ...]:
    """Validate ``url`` (scheme, host, resolved addresses) and return the safe addresses.

    Raises :class:`FetchRefused` if the URL may not be fetched, :class:`FetchDNSError`
    if the host does not resolve. Does not follow redirects (only :func:`fetch` can).
    """
    target = _parse_url(url)
    deadline = time.monotonic() + DEFAULT_TOTAL_TIMEOUT
    return _check(
        target, _parse_allowed_hosts(allowed_hosts), resolver or _default_resolver, deadline
    )


class _DeadlineReader(io.RawIOBase):
    """Raw reader over a socket; each recv is bounded by the remaining total time."""

    def __init__(self, owner: _DeadlineSocket) -> None:
        super().__init__()
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        self._owner.arm("reading from")
        return self._owner.sock.recv_into(buffer)


class _DeadlineSocket:
    """What http.client sees as its socket: every send/recv gets timeout = time left.

    close() is a no-op: http.client "closes" the connection as soon as it has the
    response headers of a Connection: close response, while we still read the body.
    The real socket is closed by :func:`fetch` when it is done.
    """

    def __init__(self, sock: socket.socket, deadline: float, url: str) -> None:
        self.sock = sock
        self._deadline = deadline
        self._url = url

    def arm(self, what: str) -> None:
        self.sock.settimeout(_remaining(self._deadline, self._url, what))

    def sendall(self, data: bytes) -> None:
        self.arm("sending the request to")
        self.sock.sendall(data)

    def makefile(self, mode: str = "rb", *args, **kwargs) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self))

    def close(self) -> None:
        pass


def _connect_error(exc: BaseException, target: _Target, ip: str) -> FetchNetworkError:
    where = f"{target.host.header}:{target.port}" + (f" ({ip})" if ip != target.host.key else "")
    if isinstance(exc, TimeoutError):
        return FetchTimeout(f"timed out connecting to {where}", url=target.url)
    if isinstance(exc, ConnectionRefusedError):
        return FetchConnectionError(f"connection refused by {where}", url=target.url)
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return FetchConnectionError(f"could not connect to {where}: {reason}", url=target.url)


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection whose connect() goes to the checked addresses only."""

    def __init__(
        self,
        target: _Target,
        addresses: tuple[str, ...],
        *,
        deadline: float,
        connect_timeout: float,
        ssl_context: ssl.SSLContext | None,
    ) -> None:
        super().__init__(target.host.key, target.port, timeout=connect_timeout)
        self.target = target
        self.addresses = addresses
        self.deadline = deadline
        self.connect_timeout = connect_timeout
        self.ssl_context = ssl_context
        self.raw_sock: socket.socket | None = None
        self.peer_ip = ""

    def connect(self) -> None:
        target = self.target
        last_error: FetchNetworkError | None = None
        sock = None
        for ip in self.addresses:
            remaining = _remaining(self.deadline, target.url, "connecting to")
            try:
                sock = socket.create_connection(
                    (ip, target.port), timeout=min(self.connect_timeout, remaining)
                )
            except OSError as exc:
                last_error = _connect_error(exc, target, ip)
                continue
            break
        if sock is None:
            assert last_error is not None
            raise last_error
        self.raw_sock = sock
        self.peer_ip = str(ipaddress.ip_address(sock.getpeername()[0].split("%", 1)[0]))
        if target.scheme == "https":
            self.raw_sock = self._start_tls(sock)
        self.sock = _DeadlineSocket(self.raw_sock, self.deadline, target.url)

    def _start_tls(self, sock: socket.socket) -> ssl.SSLSocket:
        target = self.target
        context = self.ssl_context or ssl.create_default_context()
        try:
            # The handshake as a whole is bounded by this timeout (CPython uses a deadline).
            sock.settimeout(_remaining(self.deadline, target.url, "connecting to"))
            return context.wrap_socket(sock, server_hostname=target.host.key)
        except ssl.SSLCertVerificationError as exc:
            sock.close()
            raise FetchCertificateError(
                f"refused: the TLS certificate of {target.host.key} could not be verified "
                f"({exc.verify_message or exc.reason})",
                url=target.url,
            ) from None
        except ssl.SSLError as exc:
            sock.close()
            raise FetchConnectionError(
                f"TLS handshake with {target.host.key} failed ({exc.reason or exc})",
                url=target.url,
            ) from None
        except TimeoutError:
            sock.close()
            raise FetchTimeout(
                f"timed out during the TLS handshake with {target.host.key}", url=target.url
            ) from None
        except OSError as exc:
            sock.close()
            raise _connect_error(exc, target, self.peer_ip) from None

    def close_all(self) -> None:
        self.close()
        if self.raw_sock is not None:
            self.raw_sock.close()


def _human_size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


class _Decoder:
    """Identity, or gzip/deflate decoding whose output never exceeds ``limit`` bytes.

    Decompressing with ``max_length`` means a small gzip bomb cannot make us buffer
    more than ``limit + 1`` decoded bytes.
    """

    def __init__(self, encoding: str, limit: int, url: str, too_large: FetchTooLarge) -> None:
        self.encoding = encoding
        self.limit = limit
        self.url = url
        self.too_large = too_large
        self._z = None
        self._started = False
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj(wbits=zlib.MAX_WBITS)
        elif encoding not in ("", "identity"):
            raise FetchRefused(
                f"refused: {url} was sent with unsupported content encoding {encoding!r}",
                url=url,
            )

    def _corrupt(self) -> FetchProtocolError:
        return FetchProtocolError(
            f"the {self.encoding} body of {self.url} is corrupt", url=self.url
        )

    def feed(self, data: bytes, have: int) -> bytes:
        """Decode ``data``; ``have`` is how many decoded bytes the caller holds."""
        if self._z is None:
            return data
        try:
            out = self._z.decompress(data, self.limit + 1 - have)
        except zlib.error:
            if self.encoding == "deflate" and not self._started:
                # Some servers send raw deflate without the zlib wrapper.
                self._z = zlib.decompressobj(wbits=-zlib.MAX_WBITS)
                self._started = True
                return self.feed(data, have)
            raise self._corrupt() from None
        self._started = True
        if self._z.unconsumed_tail or have + len(out) > self.limit:
            raise self.too_large
        return out

    def finish(self, have: int) -> bytes:
        if self._z is None:
            return b""
        try:
            out = self._z.flush()
        except zlib.error:
            raise self._corrupt() from None
        if have + len(out) > self.limit:
            raise self.too_large
        return out


def _read_body(resp: http.client.HTTPResponse, url: str, max_bytes: int) -> bytes:
    if resp.length is not None and resp.length > max_bytes:
        raise FetchTooLarge(
            f"refused: the response from {url} is {resp.length} bytes, "
            f"over the {_human_size(max_bytes)} limit",
            url=url,
        )
    too_large = FetchTooLarge(
        f"refused: the response from {url} is larger than the {_human_size(max_bytes)} limit",
        url=url,
    )
    encoding = (resp.getheader("Content-Encoding") or "").strip().lower()
    decoder = _Decoder(encoding, max_bytes, url, too_large)
    body = bytearray()
    wire = 0
    while True:
        # Never ask for more than one byte past the cap.
        chunk = resp.read1(min(_READ_CHUNK, max_bytes + 1 - wire))
        if not chunk:
            break
        wire += len(chunk)
        if wire > max_bytes:
            raise too_large
        body += decoder.feed(chunk, len(body))
    if resp.length:  # Content-Length promised more than arrived
        raise FetchConnectionError(
            f"the connection to {url} closed before the whole body arrived", url=url
        )
    body += decoder.finish(len(body))
    return bytes(body)


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    media, *params = value.split(";")
    charset = None
    for param in params:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media.strip().lower(), charset


def _content_type_allowed(media: str, allowed: frozenset[str]) -> bool:
    media = media or "application/octet-stream"
    return media in allowed or f"{media.partition('/')[0]}/*" in allowed or "*/*" in allowed


def _http_version(resp: http.client.HTTPResponse) -> str:
    return {9: "HTTP/0.9", 10: "HTTP/1.0"}.get(resp.version, "HTTP/1.1")


def _with_hop_context(exc: FetchError, previous: str) -> FetchError:
    """The same error, saying which redirect led to it."""
    return type(exc)(f"{exc.message} (redirected from {previous})", url=exc.url)


def _request_headers(target: _Target, allowed_types: frozenset[str]) -> list[tuple[str, str]]:
    accept = ", ".join(sorted(allowed_types)) or "*/*"
    return [
        ("Host", target.host_header),
        ("User-Agent", USER_AGENT),
        ("Accept", accept),
        ("Accept-Encoding", "identity"),
        ("Connection", "close"),
    ]


def fetch(
    url: str,
    *,
    allowed_hosts: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    allowed_content_types: Iterable[str] = DEFAULT_CONTENT_TYPES,
    resolver: Resolver | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> FetchResult:
    """GET ``url`` safely (see the module docstring) and return the final response.

    ``resolver(host, port)`` returns IP strings (default: ``socket.getaddrinfo``);
    it is called exactly once per hop for host names, never for IP literals.
    ``ssl_context`` defaults to ``ssl.create_default_context()`` (tests pass one
    trusting their own CA); it must verify certificates.
    """
    start = time.monotonic()
    deadline = start + total_timeout
    allowed = _parse_allowed_hosts(allowed_hosts)
    if isinstance(allowed_content_types, str):
        allowed_content_types = [allowed_content_types]
    allowed_types = frozenset(t.strip().lower() for t in allowed_content_types)
    resolver = resolver or _default_resolver
    redirects: list[str] = []
    hops: list[Hop] = []
    current = url
    previous: str | None = None

    while True:
        try:
            target = _parse_url(current)
            addresses = _check(target, allowed, resolver, deadline)
            result = _fetch_one(
                target,
                addresses,
                deadline=deadline,
                connect_timeout=connect_timeout,
                max_bytes=max_bytes,
                allowed_types=allowed_types,
                ssl_context=ssl_context,
            )
        except FetchError as exc:
            if previous is not None:
                raise _with_hop_context(exc, previous) from exc
            raise
        if isinstance(result, Hop):  # a redirect, to result.location
            if len(redirects) >= max_redirects:
                raise FetchTooManyRedirects(
                    f"refused: more than {max_redirects} redirects "
                    f"(starting at {url}, the next would be to {result.location})",
                    url=result.location,
                )
            redirects.append(result.location)
            hops.append(result)
            previous, current = current, result.location
            continue
        return FetchResult(requested_url=url, redirects=redirects, hops=tuple(hops), **result)


def _fetch_one(
    target: _Target,
    addresses: tuple[str, ...],
    *,
    deadline: float,
    connect_timeout: float,
    max_bytes: int,
    allowed_types: frozenset[str],
    ssl_context: ssl.SSLContext | None,
) -> Hop | dict:
    """One request. Returns the Hop for a redirect, else FetchResult fields."""
    url = target.url
    conn = _PinnedConnection(
        target,
        addresses,
        deadline=deadline,
        connect_timeout=connect_timeout,
        ssl_context=ssl_context,
    )
    request_headers = _request_headers(target, allowed_types)
    try:
        conn.putrequest("GET", request_target(url), skip_host=True, skip_accept_encoding=True)
        for name, value in request_headers:
            conn.putheader(name, value)
        conn.endheaders()
        resp = conn.getresponse()
        fetched_at = datetime.now(UTC)
        status = resp.status
        location = resp.getheader("Location")
        if status in _REDIRECT_STATUSES and location:
            # http.client decodes headers as Latin-1; servers mean UTF-8.
            with contextlib.suppress(UnicodeError):
                location = location.encode("latin-1").decode("utf-8")
            try:
                body = _read_body(resp, url, REDIRECT_BODY_MAX)
            except FetchError:
                body = b""  # the redirect itself is what matters
            return Hop(
                url=url,
                status=status,
                reason=resp.reason,
                headers=list(resp.getheaders()),
                body=body,
                peer_ip=conn.peer_ip,
                fetched_at=fetched_at,
                http_version=_http_version(resp),
                request_headers=request_headers,
                location=urljoin(url, location.strip()),
            )
        content_type, charset = _parse_content_type(resp.getheader("Content-Type"))
        if 200 <= status < 300 and not _content_type_allowed(content_type, allowed_types):
            raise FetchContentTypeRefused(
                f"refused: {url} is {content_type or 'of unknown type (no Content-Type)'}; "
                f"accepted: {', '.join(sorted(allowed_types))}",
                url=url,
            )
        body = _read_body(resp, url, max_bytes)
        return {
            "final_url": url,
            "status": status,
            "reason": resp.reason,
            "headers": list(resp.getheaders()),
            "content_type": content_type,
            "charset": charset,
            "body": body,
            "peer_ip": conn.peer_ip,
            "fetched_at": fetched_at,
            "http_version": _http_version(resp),
            "request_headers": request_headers,
        }
    except FetchError:
        raise
    except TimeoutError:
        raise FetchTimeout(
            f"timed out: {url} did not answer in full within the time limit", url=url
        ) from None
    except http.client.RemoteDisconnected:
        raise FetchConnectionError(
            f"{target.host.header} closed the connection without a response", url=url
        ) from None
    except http.client.IncompleteRead:
        raise FetchConnectionError(
            f"the connection to {url} closed before the whole body arrived", url=url
        ) from None
    except http.client.HTTPException as exc:
        raise FetchProtocolError(
            f"{target.host.header} sent an invalid HTTP response ({type(exc).__name__})",
            url=url,
        ) from None
    except ssl.SSLError as exc:
        raise FetchConnectionError(f"TLS error talking to {url} ({exc.reason})", url=url) from None
    except OSError as exc:
        raise FetchConnectionError(
            f"network error talking to {url}: {exc.strerror or exc}", url=url
        ) from None
    finally:
        conn.close_all()
