"""Refuse fetches to addresses that are not public (loopback, private, link-local, reserved)."""

from __future__ import annotations

import ipaddress
import socket


class AddressRefused(Exception):
    """The host resolves to an address the fetcher is not allowed to reach."""


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise AddressRefused(f"cannot resolve host {host!r}: {exc.strerror or exc}") from exc
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def check_host(host: str, *, allow_loopback: bool = False, allow_private: bool = False) -> None:
    """Raise AddressRefused unless every address of ``host`` is one the settings allow."""
    for addr in _addresses(host):
        if addr.is_loopback:
            if not allow_loopback:
                raise AddressRefused(
                    f"refusing loopback address {addr} of host {host!r} (allow_loopback is off)"
                )
        elif addr.is_private or addr.is_link_local or addr.is_reserved or addr.is_multicast:
            if not allow_private:
                raise AddressRefused(
                    f"refusing non-public address {addr} of host {host!r} (allow_private is off)"
                )
        elif addr.is_unspecified:
            raise AddressRefused(f"refusing unspecified address {addr} of host {host!r}")
