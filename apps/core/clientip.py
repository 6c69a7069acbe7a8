"""The client's address: the peer's, or behind trusted proxies the one they report.

`REMOTE_ADDR` is the peer of the TCP connection. Behind a reverse proxy that is the
proxy, and the client's own address is only in `X-Forwarded-For`, which each proxy
extends with the address it received the request from. Anyone can send that header,
so it is read only when the peer is listed in `QUOTETRAIL_TRUSTED_PROXIES`, and then
from the right: entries added by trusted proxies are skipped and the first address
that is not a trusted proxy is the client. Whatever the client wrote itself is further
left and never reached, so it cannot choose its address.

Every part of Quotetrail that needs the client's address (the login throttle, through
`AXES_CLIENT_IP_CALLABLE`) asks `client_ip`.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """`QUOTETRAIL_TRUSTED_PROXIES` parsed; any entry that is not an address or a network
    stops startup (settings.py calls this), so a typo never silently trusts nothing."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip()))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"QUOTETRAIL_TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                f"({exc}); give comma-separated addresses or CIDR blocks, "
                "e.g. 10.0.0.5,192.168.0.0/24"
            ) from None
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """One address as a server or proxy writes it, or None when it is not one.

    IPv4 clients of a dual-stack socket appear as `::ffff:a.b.c.d` and are read as the
    IPv4 address they are; a zone (`%eth0`) is dropped, as the database cannot store it.
    A port, which some proxies append (`a.b.c.d:port`, `[v6]:port`), is dropped too.
    """
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    text = text.partition("%")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address as text, or None when the server gave no usable peer address."""
    peer = parse_address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_networks(tuple(settings.QUOTETRAIL_TRUSTED_PROXIES))
    client = peer
    if _is_trusted(peer, networks):
        hops = (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
        for hop in reversed(hops):
            if not hop.strip():
                continue
            address = parse_address(hop)
            if address is None:
                # Not an address: nothing left of it can be trusted either, so the last
                # trusted proxy (which passed it on) is the best known client.
                break
            client = address
            if not _is_trusted(address, networks):
                break
    return str(client)
