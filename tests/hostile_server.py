"""A local HTTP server whose routes misbehave on purpose: trickles, endless bodies, bombs, redirects.

Each route is a function given the request handler; it writes whatever it likes to the socket.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]


class HostileServer:
    """Serves ``routes`` (path -> Route) on 127.0.0.1; unknown paths are 404s. Records request paths."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.requests.append(self.path)
                route = outer.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    self.send_error(404)
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    route(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"

    @contextmanager
    def running(self) -> Iterator[HostileServer]:
        thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()


def send(req: BaseHTTPRequestHandler, body: bytes, status: int = 200, **headers: str) -> None:
    """A plain response."""
    req.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **headers}.items():
        req.send_header(name.replace("_", "-"), value)
    req.end_headers()
    req.wfile.write(body)


def trickle(every: float, total_seconds: float = 30.0) -> Route:
    """Headers at once, then one byte every ``every`` seconds (for ``total_seconds`` at most)."""

    def route(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.end_headers()
        stop = time.monotonic() + total_seconds
        while time.monotonic() < stop:
            req.wfile.write(b"x")
            req.wfile.flush()
            time.sleep(every)

    return route


def endless(chunk: bytes = b"\0" * 65536, total_seconds: float = 30.0) -> Route:
    """A 200 with no length that streams ``chunk`` as fast as the client reads, for a while."""

    def route(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.end_headers()
        stop = time.monotonic() + total_seconds
        while time.monotonic() < stop:
            req.wfile.write(chunk)

    return route


def bomb(coding: str, expanded: int) -> bytes:
    """``expanded`` zero bytes compressed with ``coding`` (gzip or deflate): about 1/1000 on the wire."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31 if coding == "gzip" else 15)
    block = b"\0" * (1 << 20)
    out = [packer.compress(block) for _ in range(expanded >> 20)]
    return b"".join(out) + packer.flush()
