"""The HTTP runtime every connector fetches through.

One ``Fetcher`` per run: an httpx client with a stall timeout and a deadline per response (a body
trickling in never holds a run), a clear User-Agent, redirects followed by hand (capped, http/https
only, each hop checked), a body size cap counted after gzip or deflate is undone (decompression
bombs stop at the cap), retries with exponential backoff on 429/5xx/connection errors honouring a
Retry-After up to a cap (a longer one fails the URL), a minimum interval per host, robots.txt,
refusal of non-public addresses at connection time (``netguard.GuardedBackend``: the address
checked is the address connected to), and a raw archive of every response. Defaults come from
``data/limits.yml``.

URLs handed to the fetcher are canonical public URLs. ``rewrite`` maps one to the address
actually fetched (a replay server or mirror); results and errors always name the canonical URL.

With a ``SourceState``, GETs are conditional: a URL whose last 200 response is remembered (and
whose body is in the archive) is asked for with If-None-Match / If-Modified-Since, and a 304
answer gives back that earlier response as it was, marked ``not_modified``. ``Fetcher.from_archive``
answers every GET from the raw archive instead of the network, to rebuild documents exactly.
"""

from __future__ import annotations

import email.utils
import functools
import hashlib
import logging
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from tradecurbs import __version__
from tradecurbs.durable import failpoint
from tradecurbs.limits import limit
from tradecurbs.sources.archive import RawArchive
from tradecurbs.sources.archive_transport import ARCHIVED_AT, NOT_ARCHIVED, ArchiveTransport
from tradecurbs.sources.inflate import CappedDecoder, TooLarge
from tradecurbs.sources.netguard import AddressRefused, Deadline, GuardedBackend, check_host
from tradecurbs.sources.records import utcnow
from tradecurbs.sources.robots import RobotsRules, robots_url, rules_from_response
from tradecurbs.sources.state import SourceState, Validators

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_AGENT = "tradecurbs"


class FetchError(Exception):
    """A fetch that produced no usable response; the message names the canonical URL."""


@dataclass(frozen=True)
class FetchResult:
    """A response: ``url`` as asked for, ``final_url`` after redirects (both canonical).

    ``not_modified``: the server answered 304, and this is the earlier response it confirmed
    (status, headers, body and fetch time as they were then).
    """

    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    content: bytes
    fetched_at: datetime
    not_modified: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def raise_for_status(self) -> FetchResult:
        """Raise FetchError("HTTP <status> for <url>") unless the status is 2xx; else return self."""
        if not self.ok:
            raise FetchError(f"HTTP {self.status} for {self.url}")
        return self

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass
class FetchStats:
    """What a Fetcher sent and got: requests, conditional ones, 304 answers, body bytes received."""

    requests: int = 0
    conditional: int = 0
    not_modified: int = 0
    bytes: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def default_user_agent(contact: str | None) -> str:
    """The User-Agent: names the project, and a contact when one is configured."""
    info = f"+{contact}" if contact else "open dataset of trade-restriction events"
    return f"tradecurbs/{__version__} ({info})"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Fetcher:
    """Polite, archived HTTP GETs of canonical URLs. Use as a context manager."""

    def __init__(
        self,
        *,
        rewrite: Callable[[str], str] | None = None,
        archive_dir: str | Path | None = None,
        allow_loopback: bool = False,
        allow_private: bool = False,
        contact: str | None = None,
        user_agent: str | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        max_redirects: int = 5,
        max_bytes: int | None = None,
        retries: int = 3,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        retry_after_max: float | None = None,
        min_interval: float | None = None,
        max_crawl_delay: float = 10.0,
        respect_robots: bool = True,
        state: SourceState | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        # an archive-backed fetcher reaches no network, and must not feed the archive or state it replays
        self.offline = isinstance(transport, ArchiveTransport)
        if self.offline and (rewrite or archive_dir is not None or state is not None):
            raise ValueError(
                "a fetcher answering from the raw archive takes no rewrite, archive_dir or state"
            )
        self.rewrite = rewrite or (lambda url: url)
        self.archive = RawArchive(archive_dir) if archive_dir is not None else None
        self.state = state
        self.stats = FetchStats()
        self.allow_loopback = allow_loopback
        self.allow_private = allow_private
        self.max_redirects = max_redirects
        self.max_bytes = int(max_bytes if max_bytes is not None else limit("fetch_max_bytes"))
        self.retries = retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.retry_after_max = (
            retry_after_max if retry_after_max is not None else limit("retry_after_max_seconds")
        )
        # politeness is for real hosts: a replay (rewrite) needs no pause unless asked for
        self.min_interval = min_interval if min_interval is not None else (0.0 if rewrite else 1.0)
        self.max_crawl_delay = max_crawl_delay
        self.respect_robots = respect_robots
        self.timeout = timeout if timeout is not None else limit("fetch_stall_seconds")
        self.deadline = deadline if deadline is not None else limit("fetch_deadline_seconds")
        self.user_agent = user_agent or default_user_agent(contact)
        self._deadline = Deadline()
        # without a transport of its own, connections go through the address guard (resolve once,
        # connect to the address checked) and never wait past the response deadline
        self.guarded = transport is None
        if transport is None:
            transport = guarded_transport(allow_loopback, allow_private, self._deadline)
        # a fetcher answering from the raw archive asks it directly (``_replayed``), not through the client
        self._replay = transport.replay if isinstance(transport, ArchiveTransport) else None
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
            transport=transport,
        )
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotsRules] = {}

    @classmethod
    def from_archive(cls, archive_dir: str | Path, /, **settings: Any) -> Fetcher:
        """A fetcher answering every GET from a raw archive: no network, no pauses, no retries (the
        archive holds each URL's final answer), nothing archived again, the archived fetch times kept."""
        settings.setdefault("retries", 0)
        return cls(transport=ArchiveTransport(archive_dir), min_interval=0.0, **settings)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- public -----------------------------------------------------------------------------------

    def get(self, url: str) -> FetchResult:
        """GET a canonical URL; non-2xx statuses are returned, transport failures raise FetchError."""
        self._check_scheme(url)
        if self.respect_robots:
            rules = self._robots_for(url)
            if rules.unavailable:  # RFC 9309: an unreachable robots.txt disallows the whole site
                raise FetchError(f"{rules.unavailable}; not fetching {url}")
            if not rules.allows(url, ROBOTS_AGENT):
                raise FetchError(f"robots.txt disallows {url}")
        return self._get_following_redirects(url)

    # -- internals --------------------------------------------------------------------------------

    @staticmethod
    def _check_scheme(url: str) -> None:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"refusing URL scheme {scheme!r} (only http and https): {url}")

    def _robots_for(self, url: str) -> RobotsRules:
        key = robots_url(url)
        if key not in self._robots:
            try:
                result = self._get_following_redirects(key)
                self._robots[key] = rules_from_response(result.status, result.content)
            except FetchError as exc:
                self._robots[key] = rules_from_response(None, b"", str(exc))
        return self._robots[key]

    def _get_following_redirects(self, url: str) -> FetchResult:
        current = url
        for _ in range(self.max_redirects + 1):
            result = self._get_with_retries(url, current)
            location = result.headers.get("location")
            if result.status not in REDIRECT_STATUSES or not location:
                return result
            current = urljoin(current, location)
            self._check_scheme(current)
        raise FetchError(f"too many redirects (more than {self.max_redirects}) for {url}")

    def _get_with_retries(self, url: str, current: str) -> FetchResult:
        attempt = 0
        while True:
            try:
                result = self._get_once(url, current)
            except _Retryable as exc:
                if attempt >= self.retries:
                    raise FetchError(f"{exc} (after {attempt + 1} attempts)") from exc
                delay = self._backoff(attempt)
            else:
                if result.status not in RETRY_STATUSES or attempt >= self.retries:
                    return result
                asked = _retry_after(result.headers.get("retry-after"))
                if asked is not None and asked > self.retry_after_max:
                    raise FetchError(
                        f"HTTP {result.status} for {url}: the server asks to retry after {asked:.0f}s,"
                        f" over the limit of {self.retry_after_max:.0f}s"
                    )
                delay = self._backoff(attempt, result.headers.get("retry-after"))
            log.info("retrying %s in %.2fs (attempt %d)", current, delay, attempt + 1)
            time.sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int, retry_after: str | None = None) -> float:
        asked = _retry_after(retry_after)
        if asked is not None:
            return min(asked, self.retry_after_max)
        return min(self.backoff_base * (2**attempt), self.backoff_max)

    def _pause_for_host(self, host: str) -> None:
        interval = self.min_interval
        rules = self._robots.get(f"{host}/robots.txt")
        if rules is not None and (delay := rules.crawl_delay(ROBOTS_AGENT)) is not None:
            interval = max(interval, min(delay, self.max_crawl_delay))
        last = self._last_request.get(host)
        if last is not None and interval > 0:
            wait = last + interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _get_once(self, url: str, current: str, conditional: bool = True) -> FetchResult:
        target = self.rewrite(current)
        self._check_scheme(target)
        if not self.offline:  # an archive-backed fetch leaves the machine for no host: nothing to guard
            if not self.guarded:  # (the guarded transport checks each address as it connects)
                self._check_address(target, current)
            canonical = urlsplit(current)
            self._pause_for_host(f"{canonical.scheme}://{canonical.netloc}")
        cached = self._cached(current) if conditional else None
        fetched_at = utcnow()
        status, headers, body, extensions = self._send(target, current, cached)
        if extensions.get(NOT_ARCHIVED):
            raise FetchError(f"not in the raw archive: {current}")
        fetched_at = extensions.get(ARCHIVED_AT, fetched_at)
        self._keep(current, target, status, headers, body, fetched_at)
        if status == 304 and cached is not None:
            self.stats.not_modified += 1
            try:
                earlier = self.archive.body(cached.sha256) if self.archive else None
            except OSError:
                earlier = None
            if earlier is None:  # the archived body vanished since it was checked: ask again, plainly
                log.warning("archived body of %s is missing; refetching it unconditionally", current)
                return self._get_once(url, current, conditional=False)
            return FetchResult(
                url, current, cached.status, httpx.Headers(cached.headers), earlier, cached.fetched_at, True
            )
        return FetchResult(url, current, status, headers, body, fetched_at)

    def _check_address(self, target: str, current: str) -> None:
        try:
            check_host(
                urlsplit(target).hostname or "",
                allow_loopback=self.allow_loopback,
                allow_private=self.allow_private,
            )
        except AddressRefused as exc:
            raise FetchError(f"{exc}; not fetching {current}") from exc

    def _cached(self, current: str) -> Validators | None:
        """The remembered response to revalidate, if validators and its archived body are both at hand."""
        if self.state is None or self.archive is None:
            return None
        cached = self.state.validators(current)
        if cached is None or not cached.request_headers():
            return None
        return cached if self.archive.has(cached.sha256) else None

    def _send(
        self, target: str, current: str, cached: Validators | None
    ) -> tuple[int, httpx.Headers, bytes, dict[str, Any]]:
        """One GET: status, headers, body and the transport's extensions."""
        conditional = cached.request_headers() if cached else {}
        self.stats.requests += 1
        self.stats.conditional += bool(conditional)
        self._deadline.until = time.monotonic() + self.deadline
        try:
            if self._replay is not None:
                result = self._replayed(target, current)
            else:
                with self._client.stream("GET", target, headers=conditional) as response:
                    body = self._read_capped(response, current)
                    result = response.status_code, response.headers, body, dict(response.extensions)
        except httpx.TimeoutException as exc:
            if self._deadline.remaining() is not None and self._deadline.remaining() <= 0:
                raise self._too_slow(current) from exc
            raise _Retryable(
                f"timeout ({type(exc).__name__}, limit {self.timeout}s) fetching {current}"
            ) from exc
        except httpx.TransportError as exc:
            if refusal := _refusal(exc):
                raise FetchError(f"{refusal}; not fetching {current}") from exc
            raise _Retryable(f"connection error ({type(exc).__name__}) fetching {current}") from exc
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL ({exc}): {current[:200]}") from exc
        finally:
            self._deadline.until = None
        self.stats.bytes += len(result[2])
        return result

    def _replayed(self, target: str, current: str) -> tuple[int, httpx.Headers, bytes, dict[str, Any]]:
        """The raw archive's answer, as the client would get it from the archive's transport: its body
        is kept decoded and its Content-Length is the body's size, so the length check is the whole cap."""
        answer = self._replay(target)  # type: ignore[misc]
        self._check_length(answer.headers, current)
        return answer.status, answer.headers, answer.content, dict(answer.extensions)

    def _check_length(self, headers: httpx.Headers, current: str) -> None:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"response too large ({declared} bytes, limit {self.max_bytes}) for {current}")

    def _too_slow(self, current: str) -> FetchError:
        return FetchError(f"no complete response within {self.deadline:g}s (response deadline) for {current}")

    def _keep(
        self,
        current: str,
        target: str,
        status: int,
        headers: httpx.Headers,
        body: bytes,
        fetched_at: datetime,
    ) -> None:
        """Archive a response, and remember the validators of a 200."""
        digest = None
        if self.archive is not None:
            digest = self.archive.add(
                url=current,
                fetched_url=target,
                status=status,
                headers=headers,
                fetched_at=fetched_at,
                body=body,
            )
            failpoint("fetch:archived")
        if self.state is not None and status == 200:
            self.state.remember_response(
                current,
                etag=headers.get("etag"),
                last_modified=headers.get("last-modified"),
                sha256=digest or hashlib.sha256(body).hexdigest(),
                status=status,
                fetched_at=fetched_at,
                headers=headers,
            )
            failpoint("fetch:remembered")

    def _read_capped(self, response: httpx.Response, current: str) -> bytes:
        self._check_length(response.headers, current)
        codings = [c.strip() for c in response.headers.get("content-encoding", "").split(",") if c.strip()]
        codings = [c for c in codings if c.lower() != "identity"]
        if response.is_stream_consumed:  # an in-memory response (the raw archive's): already decoded
            codings = []
        try:
            if len(codings) > 1:
                raise ValueError(f"stacked content codings {', '.join(codings)}")
            decoder = CappedDecoder(codings[0] if codings else "identity", self.max_bytes)
        except ValueError as exc:
            raise FetchError(f"{exc} for {current}") from exc
        chunks: list[bytes] = []
        try:
            raw = [response.content] if response.is_stream_consumed else response.iter_raw()
            for chunk in raw:
                chunks.append(decoder.feed(chunk))
                if (left := self._deadline.remaining()) is not None and left <= 0:
                    raise self._too_slow(current)
            chunks.append(decoder.flush())
        except TooLarge as exc:
            raise FetchError(f"response too large ({exc}) for {current}") from exc
        except zlib.error as exc:
            raise FetchError(f"corrupt {codings[0]} body ({exc}) for {current}") from exc
        return b"".join(chunks)


class _Retryable(Exception):
    """A transport failure worth another attempt."""


def _refusal(exc: BaseException) -> str | None:
    """The address guard's refusal behind a connection error, if that is what it was."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, AddressRefused):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The verifying TLS context every fetcher of this process shares: loading the CA bundle takes
    tens of milliseconds, twice per fetcher when each made its own (one per source and run)."""
    return httpx.create_ssl_context(trust_env=False)


def guarded_transport(allow_loopback: bool, allow_private: bool, deadline: Deadline) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through the address guard and honour ``deadline``."""
    transport = httpx.HTTPTransport(verify=tls_context(), trust_env=False)
    # httpx takes no network backend; its pool (httpcore's public ConnectionPool) does
    transport._pool = httpcore.ConnectionPool(
        ssl_context=tls_context(),
        network_backend=GuardedBackend(
            allow_loopback=allow_loopback, allow_private=allow_private, deadline=deadline
        ),
    )
    return transport
