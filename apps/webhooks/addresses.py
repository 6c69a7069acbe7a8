"""Where a webhook may be sent, or a page fetched: the guard against server-side
request forgery.

A webhook makes Quotetrail's servers send a request to a URL a user typed. Left
open, that URL could be the database, the cache, a cloud metadata service or an
admin page on the private network. In production only public (global unicast)
addresses are allowed, checked when an endpoint is registered and again at each
delivery against every address the host resolves to; the request then goes to
the address that was checked, so a DNS answer that changes in between (DNS
rebinding) cannot redirect it (`pinned_opener`).

Importing from the web (apps/articles/fetching.py) uses the same guard for every URL
it fetches and every redirect it follows, with its own setting for private addresses.
"""

import http.client
import ipaddress
import socket
import urllib.request
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


def check(
    url: str,
    private: bool | None = None,
    reach: str = "webhooks are only sent to the public internet",
) -> tuple[str, str, int, list[str]]:
    """(scheme, host, port, addresses) when the URL may receive webhooks, else `Refused`.

    Every resolved address must be public unless private addresses are allowed (a local
    run; `private` overrides the webhooks' setting for other callers): one private answer
    among public ones is enough to reach the inside. `reach` words the refusal.
    """
    scheme, host, port = split(url)
    addresses = resolve(host, port)
    if not (allow_private() if private is None else private):
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise Refused(
                f"{host} resolves to {', '.join(refused)}, which is not a public address: {reach}."
            )
    return scheme, host, port, addresses


def check_registration(url: str) -> None:
    """At registration the host need not resolve yet on a local run; in production it must
    resolve, to public addresses only."""
    split(url)
    if not allow_private():
        check(url)


def _pinned(connection_class, address: str):
    """A connection class that connects to `address`, whatever the URL's host resolves to
    by then; the Host header and TLS (certificate, SNI) still use the host name."""

    def factory(host, **kwargs):
        conn = connection_class(host, **kwargs)

        def create_connection(target, *args, **kw):
            return socket.create_connection((address, target[1]), *args, **kw)

        conn._create_connection = create_connection
        return conn

    return factory


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def http_open(self, req):
        return self.do_open(_pinned(http.client.HTTPConnection, self.address), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def https_open(self, req):
        return self.do_open(
            _pinned(http.client.HTTPSConnection, self.address), req, context=self._context
        )


def pinned_opener(scheme: str, address: str) -> urllib.request.OpenerDirector:
    """An opener that sends a request for a URL of `scheme` to the checked `address`.

    It has that one handler and nothing else: no redirect is followed, no proxy from the
    environment is used, and a 3xx or 4xx is an answer like any other.
    """
    opener = urllib.request.OpenerDirector()
    opener.add_handler(_HTTPS(address) if scheme == "https" else _HTTP(address))
    return opener
