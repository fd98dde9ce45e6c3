"""Download a published release and verify every file against the catalog's sizes and sha256.

The source is the base of a releases folder: an ``http(s)://.../releases`` URL or a local folder,
holding ``index.json`` and one folder per version. Files are fetched into a hidden folder
``dest/.<version>.partial/``: each one as ``<name>.part`` (an interrupted transfer resumes from the
part's size with an HTTP Range request), renamed to its name only once its size and sha256 match.
When every file is verified the folder is renamed to ``dest/<version>/``, so a folder under its
final name is always complete and can be opened with ``open_release``.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import httpx

from tradecurbs.limits import limit
from tradecurbs.releases.files import sha256_file

INDEX = "index.json"
DATAPACKAGE = "datapackage.json"
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")


class DownloadError(Exception):
    """A release could not be fetched or a file failed verification."""


@dataclass(frozen=True)
class FetchedFile:
    """One verified file of a downloaded release."""

    path: str
    bytes: int
    sha256: str
    how: str  # downloaded, resumed, copied or already present


@dataclass(frozen=True)
class Expected:
    """What a file of a release must be."""

    path: str
    bytes: int
    sha256: str


class Source(Protocol):
    """Where releases are read from."""

    def read_text(self, relpath: str) -> str: ...

    def fetch(self, relpath: str, part: Path, size: int) -> str: ...


def _safe_relpath(path: str) -> str:
    """``path`` if it is a plain relative path inside a release; DownloadError otherwise."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or any(p in ("", ".", "..") for p in path.split("/")) or "\\" in path:
        raise DownloadError(f"refusing the unsafe file path {path!r} listed in the catalog")
    return str(pure)


class LocalSource:
    """A releases folder on this machine: files are copied."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read_text(self, relpath: str) -> str:
        path = self.root / relpath
        try:
            if path.stat().st_size > (most := int(limit("download_catalog_max_bytes"))):
                raise DownloadError(f"{path} is larger than {most} bytes: refusing it")
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DownloadError(f"cannot read {path}: {exc.strerror or exc}") from exc

    def fetch(self, relpath: str, part: Path, size: int) -> str:
        path = self.root / relpath
        try:
            shutil.copyfile(path, part)
        except OSError as exc:
            raise DownloadError(f"cannot copy {path}: {exc.strerror or exc}") from exc
        return "copied"


class HttpSource:
    """A releases folder served over HTTP(S): streamed downloads that resume with Range requests."""

    def __init__(self, base_url: str, client: httpx.Client, retries: int = 3, backoff: float = 0.25) -> None:
        self.base = base_url.rstrip("/") + "/"
        self.client = client
        self.retries = retries
        self.backoff = backoff

    def url(self, relpath: str) -> str:
        return self.base + quote(relpath)

    def read_text(self, relpath: str) -> str:
        """A small text file (catalog, datapackage.json), refused past ``download_catalog_max_bytes``."""
        url, most = self.url(relpath), int(limit("download_catalog_max_bytes"))
        try:
            with self.client.stream("GET", url) as resp:
                if resp.status_code != 200:
                    raise DownloadError(f"cannot fetch {url}: HTTP {resp.status_code}")
                body, pace = bytearray(), _Pace()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > most:
                        raise DownloadError(f"{url} is larger than {most} bytes: refusing it")
                    pace.add(len(chunk))
                return body.decode(resp.encoding or "utf-8", errors="replace")
        except (httpx.HTTPError, _Retry) as exc:
            raise DownloadError(f"cannot fetch {url}: {exc}") from exc

    def fetch(self, relpath: str, part: Path, size: int) -> str:
        """Fetch into ``part``, resuming from its size; retry dropped connections and server errors."""
        url, last = self.url(relpath), ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                return self._attempt(url, part, size)
            except (httpx.TransportError, httpx.StreamError) as exc:
                last = f"{type(exc).__name__}: {exc}"
            except _Retry as exc:
                last = str(exc)
        raise DownloadError(f"{relpath}: download failed after {self.retries + 1} attempts ({last})")

    def _attempt(self, url: str, part: Path, size: int) -> str:
        """One GET: append to the part after a 206 for its size, else write the whole file anew."""
        offset = part.stat().st_size if part.exists() else 0
        if offset >= size:  # a part as long as the file (or longer) is not resumable
            part.unlink(missing_ok=True)
            offset = 0
        # Offsets count file bytes, so ask for no content coding; keep whatever arrives before a drop.
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        with self.client.stream("GET", url, headers=headers) as resp:
            if resp.status_code == 416:
                part.unlink(missing_ok=True)
                raise _Retry("the server refused the Range request")
            if resp.status_code >= 500:
                raise _Retry(f"HTTP {resp.status_code}")
            if resp.status_code not in (200, 206):
                raise DownloadError(f"cannot fetch {url}: HTTP {resp.status_code}")
            resuming = resp.status_code == 206
            if resuming and _range_start(resp) != offset:  # not the bytes asked for: start over
                part.unlink(missing_ok=True)
                raise _Retry("the server answered a different range")
            written, pace = offset if resuming else 0, _Pace()
            with open(part, "ab" if resuming else "wb") as fh:  # a 200 is the whole file again
                for chunk in resp.iter_raw():
                    fh.write(chunk)
                    written += len(chunk)
                    pace.add(len(chunk))
                    if written > size:  # never store more than the catalog promises
                        break
        return "resumed" if resuming else "downloaded"


class _Retry(Exception):
    """A failed attempt worth repeating."""


class _Pace:
    """Gives up on a transfer that averages under ``download_min_bytes_per_second`` once it has run
    for ``download_stall_seconds`` (a server trickling bytes never trips a per-read timeout)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bytes = 0
        self.grace = limit("download_stall_seconds")
        self.rate = limit("download_min_bytes_per_second")

    def add(self, n: int) -> None:
        self.bytes += n
        elapsed = time.monotonic() - self.started
        if elapsed > self.grace and self.bytes < self.rate * elapsed:
            raise _Retry(f"transfer slower than {self.rate:g} bytes/s ({self.bytes} bytes in {elapsed:.0f}s)")


def _stay_on(base: str) -> Callable[[httpx.Request], None]:
    """A request hook refusing any request (a redirect) away from the scheme, host and port of ``base``."""
    home = httpx.URL(base)

    def check(request: httpx.Request) -> None:
        url = request.url
        if (url.scheme, url.host, url.port) != (home.scheme, home.host, home.port):
            raise DownloadError(f"refusing a redirect away from {home.host}: {str(url)[:200]}")

    return check


def _range_start(resp: httpx.Response) -> int | None:
    match = re.match(r"bytes (\d+)-", resp.headers.get("content-range", ""))
    return int(match.group(1)) if match else None


def _verify(path: Path, want: Expected) -> str | None:
    """None when ``path`` has the expected size and sha256, else what is wrong."""
    size = path.stat().st_size
    digest = sha256_file(path)
    if size == want.bytes and digest == want.sha256:
        return None
    sizes = f"{size} bytes, expected {want.bytes}"
    kind = "truncated" if size < want.bytes else "corrupted"
    return f"{want.path} is {kind}: expected sha256 {want.sha256}, got {digest} ({sizes})"


def _open_source(source: str, client: httpx.Client | None) -> tuple[Source, httpx.Client | None]:
    """The source for ``source`` and, when one was made here, the client to close."""
    scheme = urlsplit(source).scheme.lower() if "://" in source else ""
    if scheme in ("http", "https"):
        base = source.removesuffix(INDEX)
        own = client is None
        client = client or httpx.Client(
            timeout=httpx.Timeout(limit("download_stall_seconds")),
            follow_redirects=True,
            max_redirects=int(limit("download_max_redirects")),
            event_hooks={"request": [_stay_on(base)]},
        )
        return HttpSource(base, client), client if own else None
    if scheme:
        raise DownloadError(f"unsupported source {source!r}: use an http(s) URL or a local folder")
    root = Path(source)
    if root.name == INDEX:
        root = root.parent
    if not (root / INDEX).is_file():
        raise DownloadError(f"{root} is not a releases folder: it has no {INDEX}")
    return LocalSource(root), None


def _resolve(index: dict[str, Any], version: str) -> dict[str, Any]:
    """The catalog entry of ``version`` (or of the latest release)."""
    releases = index.get("releases") or []
    wanted = index.get("latest") if version == "latest" else version
    if not wanted:
        raise DownloadError("the catalog lists no release")
    for entry in releases:
        if entry.get("version") == wanted:
            if not _VERSION.match(str(wanted)):
                raise DownloadError(f"refusing the unsafe version name {wanted!r}")
            return entry
    known = ", ".join(r.get("version", "?") for r in releases[-5:]) or "none"
    raise DownloadError(f"no release {wanted!r} in the catalog (latest ones: {known})")


def _size(path: str, declared: Any) -> int:
    """A file size from the catalog, refused past ``download_file_max_bytes`` whatever the catalog says."""
    size, most = int(declared), int(limit("download_file_max_bytes"))
    if not 0 <= size <= most:
        raise DownloadError(f"the catalog lists {size} bytes for {path} (limit {most}): refusing it")
    return size


def _expected_files(source: Source, prefix: str, entry: dict[str, Any]) -> list[Expected]:
    """Every file of a release with its size and sha256, from the catalog and datapackage.json."""
    files = {
        f["path"]: Expected(_safe_relpath(f["path"]), _size(f["path"], f["bytes"]), f["sha256"])
        for f in entry["files"]
    }
    if DATAPACKAGE in files:
        return list(files.values())
    # Older catalog entries do not list datapackage.json: check it agrees with the catalog instead.
    package = json.loads(source.read_text(f"{prefix}/{DATAPACKAGE}"))
    for res in package.get("resources", []):
        size = _size(res["path"], res["bytes"])
        want = Expected(_safe_relpath(res["path"]), size, res["hash"].removeprefix("sha256:"))
        if want.path in files and files[want.path] != want:
            raise DownloadError(f"{DATAPACKAGE} and the catalog disagree about {want.path}")
        files.setdefault(want.path, want)
    return list(files.values())


@contextmanager
def _lock(dest: Path) -> Iterator[None]:
    """One download at a time into ``dest``."""
    with open(dest / ".download.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise DownloadError(f"another download into {dest} is running") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _check_existing(folder: Path, files: list[Expected]) -> list[FetchedFile]:
    """Verify a release folder that is already there; DownloadError when it does not match."""
    done = []
    for want in files:
        path = folder / want.path
        problem = _verify(path, want) if path.is_file() else f"{want.path} is missing"
        if problem:
            raise DownloadError(f"{folder} exists but does not match the catalog: {problem}; remove it first")
        done.append(FetchedFile(want.path, want.bytes, want.sha256, "already present"))
    return done


def _fetch_one(source: Source, prefix: str, staging: Path, want: Expected) -> FetchedFile:
    """Fetch one file into ``staging`` and rename it to its name once it verifies."""
    target = staging / want.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file():
        if _verify(target, want) is None:
            return FetchedFile(want.path, want.bytes, want.sha256, "already present")
        target.unlink()
    part = target.with_name(target.name + ".part")
    how = source.fetch(f"{prefix}/{want.path}", part, want.bytes)
    problem = _verify(part, want)
    if problem and how == "resumed":  # the kept part may be stale: try once from the start
        part.unlink()
        how = source.fetch(f"{prefix}/{want.path}", part, want.bytes)
        problem = _verify(part, want)
    if problem:
        part.unlink(missing_ok=True)
        raise DownloadError(problem)
    os.replace(part, target)
    return FetchedFile(want.path, want.bytes, want.sha256, how)


def download_release(
    version: str,
    source: str,
    dest: Path,
    *,
    on_file: Callable[[FetchedFile], None] | None = None,
    client: httpx.Client | None = None,
) -> Path:
    """Download ``version`` (or ``"latest"``) from ``source`` into ``dest/<version>/``; return that folder.

    ``source`` is an ``http(s)://`` URL of a releases folder or a local releases folder. Every file is
    checked against the catalog's size and sha256; ``on_file`` is told about each verified file.
    """
    src, own_client = _open_source(source, client)
    try:
        try:
            index = json.loads(src.read_text(INDEX))
        except json.JSONDecodeError as exc:
            raise DownloadError(f"the catalog {INDEX} at {source} is not valid JSON: {exc}") from exc
        try:
            entry = _resolve(index, version)
            name = entry["version"]
            prefix = _safe_relpath(entry.get("path") or name)
            files = _expected_files(src, prefix, entry)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a catalog of the wrong shape
            problem = f"{type(exc).__name__}: {exc}"
            raise DownloadError(f"the catalog {INDEX} at {source} is malformed ({problem})") from exc
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        final = dest / name
        with _lock(dest):
            if final.exists():
                report = _check_existing(final, files)
                for item in report:
                    _tell(on_file, item)
            else:
                staging = dest / f".{name}.partial"
                staging.mkdir(exist_ok=True)
                for want in files:
                    _tell(on_file, _fetch_one(src, prefix, staging, want))
                for stray in staging.rglob("*.part"):
                    stray.unlink()
                os.rename(staging, final)
    finally:
        if own_client is not None:
            own_client.close()
    return final


def _tell(on_file: Callable[[FetchedFile], None] | None, item: FetchedFile) -> None:
    if on_file is not None:
        on_file(item)
