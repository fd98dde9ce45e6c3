"""A local HTTP server that replays recorded responses of public sources.

Recorded responses live in a folder laid out as ``<host>/<path>``; a URL with a query string maps
to ``<path>@<query>`` with every character outside ``[A-Za-z0-9._=-]`` replaced by ``_``. A
request for ``X.zip`` that has no recording is answered with a zip archive of the recording ``X``,
so that zipped feeds (GDELT exports) can be kept as reviewable text. The fetcher reaches the server
through a URL map (``https://host/`` to ``http://127.0.0.1:PORT/host/``), so documents keep their
canonical public URLs.
"""

from __future__ import annotations

import io
import mimetypes
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

_UNSAFE = re.compile(r"[^A-Za-z0-9._=-]")


def recording_path(url: str) -> str:
    """Relative path under a recordings folder where the response for ``url`` is kept."""
    parts = urlsplit(url)
    path = parts.path.lstrip("/") or "index.html"
    if path.endswith("/"):
        path += "index.html"
    name = f"{parts.hostname}/{path}"
    if parts.query:
        name += "@" + _UNSAFE.sub("_", parts.query)
    return name


def replay_rewrite(base: str) -> Callable[[str], str]:
    """A URL map for the fetcher: ``scheme://host/path?query`` to ``{base}/{host}/path?query``."""
    base = base.rstrip("/")

    def rewrite(url: str) -> str:
        parts = urlsplit(url)
        mapped = f"{base}/{parts.hostname}{parts.path or '/'}"
        return f"{mapped}?{parts.query}" if parts.query else mapped

    return rewrite


def _content_type(path: str) -> str:
    if path.endswith((".xml", ".rss")):
        return "application/rss+xml"
    if path.endswith(".atom"):
        return "application/atom+xml"
    plain = path.split("@", 1)[0]
    guessed, _ = mimetypes.guess_type(plain)
    if guessed is None and "." not in plain.rsplit("/", 1)[-1]:
        return "text/html; charset=utf-8"  # extension-less article URLs are web pages
    return guessed or "application/octet-stream"


def _handler(root: Path) -> type[BaseHTTPRequestHandler]:
    class ReplayHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            host, _, rest = self.path.lstrip("/").partition("/")
            body = self._lookup(f"https://{host}/{rest}")
            if body is None and "%" in rest:  # a recording named after the unescaped URL
                body = self._lookup(f"https://{host}/{unquote(rest)}")
            if body is None:
                self.send_error(404, "no recording for this URL")
                return
            data, ctype = body
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _lookup(self, url: str) -> tuple[bytes, str] | None:
            rel = recording_path(url)
            file = (root / rel).resolve()
            if not file.is_relative_to(root):
                return None
            if file.is_file():
                return file.read_bytes(), _content_type(rel)
            plain = file.with_suffix("")
            if file.suffix == ".zip" and plain.is_file():
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    # a fixed timestamp keeps the archive, and so its checksum, the same every time
                    info = zipfile.ZipInfo(plain.name, date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, plain.read_bytes())
                return buffer.getvalue(), "application/zip"
            return None

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

    return ReplayHandler


@contextmanager
def replay_server(root: Path) -> Iterator[str]:
    """Serve recordings under ``root`` on a free loopback port; yields the server's base URL."""
    root = Path(root).resolve()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
