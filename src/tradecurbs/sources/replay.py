"""A local HTTP server that replays recorded responses of public sources.

Recorded responses live in a folder laid out as ``<host>/<path>``; a URL with a query string maps
to ``<path>@<query>`` with every character outside ``[A-Za-z0-9._=-]`` replaced by ``_``. A
request for ``X.zip`` that has no recording is answered with a zip archive of the recording ``X``,
so that zipped feeds (GDELT exports) can be kept as reviewable text. The fetcher reaches the server
through a URL map (``https://host/`` to ``http://127.0.0.1:PORT/host/``), so documents keep their
canonical public URLs.

Like a real server, every answer carries an ETag (a digest of the body) and a Last-Modified (the
recording's modification time), and a request whose If-None-Match or If-Modified-Since matches
gets 304 Not Modified.
"""

from __future__ import annotations

import email.utils
import hashlib
import io
import mimetypes
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
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


def etag(data: bytes) -> str:
    """The (strong) entity tag the replay server gives a body."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def not_modified(request: Message, tag: str, modified: float) -> bool:
    """Whether the request's validators match (If-None-Match wins over If-Modified-Since, RFC 9110)."""
    if (if_none_match := request.get("If-None-Match")) is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or tag in tags
    if since := request.get("If-Modified-Since"):
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return int(modified) <= when.timestamp()  # HTTP dates have whole seconds (naive: read as UTC)
    return False


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
            data, ctype, modified = body
            tag = etag(data)
            fresh = not_modified(self.headers, tag, modified)
            self.send_response(304 if fresh else 200)
            self.send_header("ETag", tag)
            self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
            if fresh:
                self.end_headers()
                return
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _lookup(self, url: str) -> tuple[bytes, str, float] | None:
            """The recording for a URL: body, content type and modification time."""
            rel = recording_path(url)
            file = (root / rel).resolve()
            if not file.is_relative_to(root):
                return None
            if file.is_file():
                return file.read_bytes(), _content_type(rel), file.stat().st_mtime
            plain = file.with_suffix("")
            if file.suffix == ".zip" and plain.is_file():
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    # a fixed timestamp keeps the archive, and so its checksum, the same every time
                    info = zipfile.ZipInfo(plain.name, date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, plain.read_bytes())
                return buffer.getvalue(), "application/zip", plain.stat().st_mtime
            return None

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

    return ReplayHandler


@contextmanager
def replay_server(root: Path) -> Iterator[str]:
    """Serve recordings under ``root`` on a free loopback port; yields the server's base URL."""
    root = Path(root).resolve()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(root))
    # a short poll interval lets the server stop promptly when the run is over
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
