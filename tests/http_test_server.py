"""A small local HTTP(S) server for tests, with scriptable routes.

    from tests.http_test_server import LocalHTTPServer

    with LocalHTTPServer() as server:
        server.add_route("/a", body=b"<p>hi</p>", content_type="text/html")
        server.add_redirect("/old", "/a")
        fetch(server.url("/old"), allowed_hosts=["127.0.0.1:*"])
        assert server.hits("/a") == 1

As a pytest fixture (in a test module or conftest.py):

    @pytest.fixture
    def server():
        with LocalHTTPServer() as s:
            yield s

It listens on 127.0.0.1 on a free port, one thread per connection (daemon
threads), one request per connection (every response says Connection: close).
Unknown paths get a 404. Routes are matched on the path without the query.
``stop()`` (or leaving the ``with``) ends the long-running routes (endless,
trickle) too, so nothing is left hanging after a test.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Self

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # as sent, with the query
    headers: list[tuple[str, str]]

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class _Route:
    handle: Handler
    hits: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _RequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LocalHTTPServer/1.0"
    timeout = 5  # a client that stops reading cannot pin a thread forever
    server: _Server

    def do_GET(self) -> None:
        self.close_connection = True
        self.server.owner._dispatch(self)

    do_POST = do_HEAD = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    owner: LocalHTTPServer

    def handle_error(self, request, client_address) -> None:
        pass  # clients hanging up mid-response is what several routes are for


class LocalHTTPServer:
    def __init__(self, *, tls: tuple[str, str] | None = None) -> None:
        """``tls=(certfile, keyfile)`` serves https instead of http."""
        self._routes: dict[str, _Route] = {}
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self.stopping = threading.Event()
        self._tls = tls
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------

    def start(self) -> Self:
        httpd = _Server(("127.0.0.1", 0), _RequestHandler)
        httpd.owner = self
        if self._tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self._tls)
            # Handshake lazily in the connection's own thread, not in accept().
            httpd.socket = context.wrap_socket(
                httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"LocalHTTPServer:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- addresses ---------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._httpd is not None, "the server is not running"
        return self._httpd.server_address[1]

    @property
    def scheme(self) -> str:
        return "https" if self._tls else "http"

    def url(self, path: str = "/", *, host: str = "127.0.0.1") -> str:
        """An absolute URL for ``path``; ``host`` may be e.g. "localhost"."""
        return f"{self.scheme}://{host}:{self.port}{path}"

    # --- routes ------------------------------------------------------------

    def add_handler(self, path: str, handle: Handler) -> None:
        """The most general route: ``handle(request_handler)`` writes the response."""
        with self._lock:
            self._routes[path] = _Route(handle)

    def add_route(
        self,
        path: str,
        *,
        body: bytes | str = b"",
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: Iterable[tuple[str, str]] = (),
        chunked: bool = False,
        content_length: int | None = None,
    ) -> None:
        """A fixed response. ``content_length`` overrides the true length (to lie);
        ``chunked`` sends the body with Transfer-Encoding: chunked."""
        payload = body.encode("utf-8") if isinstance(body, str) else body
        extra = list(headers)

        def handle(h: http.server.BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            if content_type is not None:
                h.send_header("Content-Type", content_type)
            for name, value in extra:
                h.send_header(name, value)
            if chunked:
                h.send_header("Transfer-Encoding", "chunked")
            else:
                length = len(payload) if content_length is None else content_length
                h.send_header("Content-Length", str(length))
            h.send_header("Connection", "close")
            h.end_headers()
            if h.command == "HEAD":
                return
            if chunked:
                for i in range(0, len(payload), 1000):
                    piece = payload[i : i + 1000]
                    h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                h.wfile.write(b"0\r\n\r\n")
            else:
                h.wfile.write(payload)

        self.add_handler(path, handle)

    def add_redirect(self, path: str, location: str, *, status: int = 302) -> None:
        """Redirect to ``location``, sent verbatim (relative or absolute, any host)."""
        self.add_route(path, status=status, content_type=None, headers=[("Location", location)])

    def add_redirect_chain(self, prefix: str, length: int, final: str) -> str:
        """``length`` redirects: prefix/1 -> prefix/2 -> ... -> final. Returns prefix/1."""
        for i in range(1, length + 1):
            target = f"{prefix}/{i + 1}" if i < length else final
            self.add_redirect(f"{prefix}/{i}", target)
        return f"{prefix}/1"

    def add_endless(
        self,
        path: str,
        *,
        content_type: str = "text/html",
        chunk: bytes = b"x" * 65536,
        chunked: bool = False,
        content_length: int | None = None,
    ) -> None:
        """A body that never ends (until the client hangs up or the server stops).
        Without ``chunked`` or ``content_length`` the body is delimited by close."""

        def handle(h: http.server.BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", content_type)
            if chunked:
                h.send_header("Transfer-Encoding", "chunked")
            elif content_length is not None:
                h.send_header("Content-Length", str(content_length))
            h.send_header("Connection", "close")
            h.end_headers()
            piece = b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk
            while not self.stopping.is_set():
                h.wfile.write(piece)

        self.add_handler(path, handle)

    def add_trickle(
        self,
        path: str,
        *,
        interval: float = 0.05,
        body: bytes = b"x" * 10_000,
        content_type: str = "text/plain",
        in_headers: bool = False,
    ) -> None:
        """Send one byte every ``interval`` seconds: the body, or with ``in_headers``
        the header block itself (with many filler headers)."""

        def handle(h: http.server.BaseHTTPRequestHandler) -> None:
            if in_headers:
                head = b"HTTP/1.1 200 OK\r\n" + b"X-Filler: " + b"y" * 5000 + b"\r\n"
                self._trickle(h, head, interval)
                h.wfile.write(b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                return
            h.send_response(200)
            h.send_header("Content-Type", content_type)
            h.send_header("Content-Length", str(len(body)))
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.flush()
            self._trickle(h, body, interval)

        self.add_handler(path, handle)

    def _trickle(self, h: http.server.BaseHTTPRequestHandler, data: bytes, interval: float):
        for i in range(len(data)):
            if self.stopping.wait(interval):
                return
            h.wfile.write(data[i : i + 1])
            h.wfile.flush()

    # --- inspection --------------------------------------------------------

    def hits(self, path: str) -> int:
        """How many requests the route at ``path`` has answered."""
        with self._lock:
            route = self._routes.get(path)
        return route.hits if route else 0

    @property
    def total_requests(self) -> int:
        with self._lock:
            return len(self.requests)

    # --- internals ---------------------------------------------------------

    def _dispatch(self, h: http.server.BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        with self._lock:
            self.requests.append(RecordedRequest(h.command, h.path, list(h.headers.items())))
            route = self._routes.get(path)
        if route is None:
            h.send_error(404)
            return
        with route.lock:
            route.hits += 1
        # OSError: the client went away (as it should, for endless/trickle routes).
        with contextlib.suppress(OSError):
            route.handle(h)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (just now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    """Poll ``predicate`` until true or ``timeout``; returns its last value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
