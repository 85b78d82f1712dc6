"""Which client a request comes from, for the per-address rate limit.

The socket peer (``REMOTE_ADDR``), unless that peer is one of ``TRUSTED_PROXIES`` (addresses
or networks, comma-separated; none by default): then the right-most ``X-Forwarded-For`` hop
that is not a trusted proxy, since a client can write any hops it likes to the left of what
our own proxies append. An IPv6 client counts as its /64, which one subscriber usually holds
whole.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str | Iterable[str] | None) -> tuple[Network, ...]:
    """``"10.0.0.1, 172.16.0.0/12"`` (or a list) → networks; an empty value → none."""
    if not value:
        return ()
    items = value.replace(",", " ").split() if isinstance(value, str) else [str(v) for v in value]
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(text: str, proxies: tuple[Network, ...]) -> bool:
    ip = _ip(text)
    return ip is not None and any(ip in network for network in proxies)


def _bucket(text: str) -> str:
    ip = _ip(text)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else ip) if ip else text


def client_address(environ: Mapping[str, Any], trusted_proxies: tuple[Network, ...] = ()) -> str:
    """The rate limit's key for the client of the request whose WSGI environ this is."""
    peer = str(environ.get("REMOTE_ADDR") or "")
    if not _trusted(peer, trusted_proxies):
        return _bucket(peer)
    hops = [hop.strip() for hop in str(environ.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted_proxies):
            # What our proxy saw; if it is not even an address, the proxy is the best we know.
            return _bucket(hop) if _ip(hop) else _bucket(peer)
    return _bucket(hops[0]) if hops else _bucket(peer)
