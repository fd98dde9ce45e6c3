"""Refuse fetches to addresses that are not public, checking the very address a connection uses.

``check_host`` resolves a host once and checks every address; ``GuardedBackend`` (an httpcore
network backend) does that when it opens a connection and then connects to the address it checked,
so a DNS answer that changes between the check and the connection (DNS rebinding) reaches nothing.

Not public: loopback (allowed with ``allow_loopback``), private, shared (100.64.0.0/10),
link-local, reserved, documentation, benchmarking and other non-global ranges (allowed with
``allow_private``), multicast and unspecified (never), and the IPv6 forms that embed an IPv4
address (IPv4-mapped and -compatible, 6to4, Teredo, NAT64), judged by the IPv4 address inside.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from typing import Any

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class AddressRefused(Exception):
    """The host resolves to an address the fetcher is not allowed to reach."""


def embedded_ipv4(addr: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, Teredo client, NAT64)."""
    if not isinstance(addr, ipaddress.IPv6Address):
        return None
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]
    if any(addr in net for net in _NAT64):
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    if int(addr) >> 32 == 0 and int(addr) > 1:  # IPv4-compatible ::a.b.c.d (deprecated)
        return ipaddress.IPv4Address(int(addr))
    return None


def _resolve(host: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise AddressRefused(f"cannot resolve host {host!r}: {reason}") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def _check_address(addr: IPAddress, host: str, allow_loopback: bool, allow_private: bool) -> None:
    inner = embedded_ipv4(addr)
    judged = inner if inner is not None else addr
    shown = f"{addr} (carrying {inner})" if inner is not None else str(addr)
    if judged.is_unspecified or judged.is_multicast:
        raise AddressRefused(f"refusing unspecified or multicast address {shown} of host {host!r}")
    if judged.is_loopback:
        if not allow_loopback:
            raise AddressRefused(
                f"refusing loopback address {shown} of host {host!r} (allow_loopback is off: for a mirror or"
                " test server on this machine, pass --allow-loopback or set allow_loopback: true in the"
                " sources file)"
            )
    elif not judged.is_global and not allow_private:
        raise AddressRefused(f"refusing non-public address {shown} of host {host!r} (allow_private is off)")


def check_host(host: str, *, allow_loopback: bool = False, allow_private: bool = False) -> str:
    """Resolve ``host`` once; raise AddressRefused unless every address is allowed; return the first."""
    addresses = _resolve(host)
    if not addresses:
        raise AddressRefused(f"host {host!r} has no address")
    for addr in addresses:
        _check_address(addr, host, allow_loopback, allow_private)
    return str(addresses[0])


class Deadline(threading.local):
    """The moment (time.monotonic) by which the current thread's response must be complete."""

    until: float | None = None

    def remaining(self) -> float | None:
        return None if self.until is None else self.until - time.monotonic()


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes never wait past the thread's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.inner = inner
        self.deadline = deadline

    def _timeout(self, timeout: float | None, error: type[Exception]) -> float | None:
        remaining = self.deadline.remaining()
        if remaining is None:
            return timeout
        if remaining <= 0:
            raise error("the response deadline has passed")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self._timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self._timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        limit = self._timeout(timeout, httpcore.ConnectTimeout)
        tls = self.inner.start_tls(ssl_context, server_hostname, limit)
        return _DeadlineStream(tls, self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Connections only to allowed addresses (resolved once, connected to as checked), with deadlines."""

    def __init__(self, *, allow_loopback: bool, allow_private: bool, deadline: Deadline) -> None:
        self.allow_loopback = allow_loopback
        self.allow_private = allow_private
        self.deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        try:
            address = check_host(host, allow_loopback=self.allow_loopback, allow_private=self.allow_private)
        except AddressRefused as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, self.deadline)
