"""Where a webhook may be sent: the guard against server-side request forgery.

A webhook makes Quotetrail's servers send a request to a URL a user typed. Left
open, that URL could be the database, the cache, a cloud metadata service or an
admin page on the private network. In production only public (global unicast)
addresses are allowed, checked when an endpoint is registered and again at each
delivery against every address the host resolves to; the request then goes to
the address that was checked, so a DNS answer that changes in between (DNS
rebinding) cannot redirect it.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

SCHEMES = ("http", "https")


class Refused(ValueError):
    """The URL may not receive webhooks; the message says why, for the person."""


def allow_private() -> bool:
    return bool(getattr(settings, "QUOTETRAIL_WEBHOOKS_ALLOW_PRIVATE", False))


def is_public(address: str) -> bool:
    """A global unicast address: not loopback, private, link-local, reserved, multicast
    or unspecified (IPv4-mapped IPv6 addresses are judged by the IPv4 address inside)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def split(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, or `Refused`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused("This is not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise Refused("Webhooks are sent to http:// or https:// URLs only.")
    host = parts.hostname
    if not host:
        raise Refused("The URL has no host name.")
    if parts.username or parts.password:
        raise Refused("Put no user name or password in the URL; the secret signs each request.")
    return scheme, host, port or (443 if scheme == "https" else 80)


def resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to (an address literal resolves to itself)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Refused(f"The host name {host!r} cannot be resolved ({exc}).") from None
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise Refused(f"The host name {host!r} resolves to no address.")
    return addresses


def check(url: str) -> tuple[str, str, int, list[str]]:
    """(scheme, host, port, addresses) when the URL may receive webhooks, else `Refused`.

    Every resolved address must be public unless private addresses are allowed (a local
    run): one private answer among public ones is enough to reach the inside.
    """
    scheme, host, port = split(url)
    addresses = resolve(host, port)
    if not allow_private():
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise Refused(
                f"{host} resolves to {', '.join(refused)}, which is not a public address: "
                "webhooks are only sent to the public internet."
            )
    return scheme, host, port, addresses


def check_registration(url: str) -> None:
    """At registration the host need not resolve yet on a local run; in production it must
    resolve, to public addresses only."""
    split(url)
    if not allow_private():
        check(url)
