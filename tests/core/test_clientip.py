"""The client's address: X-Forwarded-For is believed only from trusted proxies, from the right."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from apps.core.clientip import client_ip, parse_address, trusted_networks
from tests.conftest import make_user

PROXY = "10.0.0.1"  # the reverse proxy in front of the app
INNER_PROXY = "10.0.0.2"  # a second hop, e.g. a load balancer behind a CDN
PASSWORD = "correct horse battery"


def address(remote_addr, forwarded_for=None):
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)
    return client_ip(request)


@pytest.fixture
def behind_proxies(settings):
    settings.QUOTETRAIL_TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:ffff::/48"]


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.QUOTETRAIL_TRUSTED_PROXIES = []
    assert address("203.0.113.7") == "203.0.113.7"
    assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert address(PROXY, "198.51.100.1") == PROXY


def test_forwarded_for_from_an_untrusted_peer_is_ignored(behind_proxies):
    """A client talking to the app directly cannot name its own address."""
    assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert address("203.0.113.7", f"198.51.100.1, {PROXY}") == "203.0.113.7"


def test_forwarded_for_from_a_trusted_proxy_gives_the_client(behind_proxies):
    assert address(PROXY, "203.0.113.7") == "203.0.113.7"
    # Through two trusted hops: the inner proxy's own entry is skipped.
    assert address(PROXY, f"203.0.113.7, {INNER_PROXY}") == "203.0.113.7"
    assert address("2001:db8:ffff::5", "2001:db8::42") == "2001:db8::42"
    # A trusted peer that forwarded nothing is itself the client (e.g. its health check).
    assert address(PROXY) == PROXY
    assert address(PROXY, "") == PROXY


def test_spoofed_left_most_entries_are_ignored(behind_proxies):
    """What the client sent is left of what the proxy appended, so it is never reached,
    even when it names a trusted proxy or many addresses."""
    assert address(PROXY, "198.51.100.1, 203.0.113.7") == "203.0.113.7"
    assert address(PROXY, f"{INNER_PROXY}, 203.0.113.7") == "203.0.113.7"
    assert address(PROXY, f"1.1.1.1, 2.2.2.2, 203.0.113.7, {INNER_PROXY}") == "203.0.113.7"
    assert address(PROXY, "not an address, 203.0.113.7") == "203.0.113.7"


def test_only_trusted_hops_gives_the_left_most(behind_proxies):
    assert address(PROXY, f"{INNER_PROXY}, 10.0.0.3") == INNER_PROXY


def test_an_unreadable_hop_stops_the_walk_at_the_proxy_that_passed_it(behind_proxies):
    assert address(PROXY, "203.0.113.7, garbage") == PROXY
    assert address(PROXY, f"203.0.113.7, garbage, {INNER_PROXY}") == INNER_PROXY
    assert address(PROXY, "x" * 10_000) == PROXY


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:DB8:0::1", "2001:db8::1"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("fe80::1%eth0", "fe80::1"),
        ("unknown", None),
        ("", None),
        ("203.0.113.256", None),
        ("[", None),
    ],
)
def test_addresses_are_read_as_proxies_write_them(written, read):
    parsed = parse_address(written)
    assert (None if parsed is None else str(parsed)) == read


@pytest.mark.parametrize("remote_addr", ["", "unix:/run/gunicorn.sock", None])
def test_no_usable_peer_address_gives_none(settings, remote_addr):
    request = RequestFactory().get("/")
    if remote_addr is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote_addr
    assert client_ip(request) is None


def test_trusted_proxies_accept_addresses_and_networks_of_both_families():
    networks = trusted_networks(("10.0.0.1", "192.168.0.0/16", "2001:db8::/32", " ::1 "))
    assert [str(n) for n in networks] == [
        "10.0.0.1/32",
        "192.168.0.0/16",
        "2001:db8::/32",
        "::1/128",
    ]


@pytest.mark.parametrize(
    "entry", ["proxy.example.org", "10.0.0.300", "10.0.0.1/8", "10.0.0.0/33", "*"]
)
def test_an_invalid_trusted_proxy_is_refused_with_its_name(entry):
    with pytest.raises(ImproperlyConfigured) as refused:
        trusted_networks(("10.0.0.1", entry))
    assert "QUOTETRAIL_TRUSTED_PROXIES" in str(refused.value)
    assert repr(entry) in str(refused.value)


def proxied_attempt(forwarded_for, password, username="edna"):
    """A login through the trusted proxy, which appends the client's address."""
    return Client().post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        headers={"X-Forwarded-For": forwarded_for},
    )


def test_lockout_applies_per_client_behind_the_proxy(db, settings, behind_proxies):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 3
    make_user("edna", "editor")
    for _ in range(3):
        assert proxied_attempt("203.0.113.7", "guess").status_code == 200
    assert proxied_attempt("203.0.113.7", PASSWORD).status_code == 429
    # Another client behind the same proxy is not locked out with the guesser.
    assert proxied_attempt("198.51.100.20", PASSWORD).status_code == 302
    # The guesser cannot get a fresh count by writing addresses of its own in the header.
    for spoofed in ("198.51.100.20", "1.2.3.4, 5.6.7.8", PROXY, "garbage"):
        assert proxied_attempt(f"{spoofed}, 203.0.113.7", PASSWORD).status_code == 429


def test_forwarded_for_sent_straight_to_the_app_does_not_escape_a_lockout(
    db, settings, behind_proxies
):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    make_user("edna", "editor")
    direct = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(2):
        Client().post("/accounts/login/", {"username": "edna", "password": "guess"}, **direct)
    for forged in ("198.51.100.20", PROXY, f"198.51.100.20, {PROXY}"):
        response = Client().post(
            "/accounts/login/",
            {"username": "edna", "password": PASSWORD},
            headers={"X-Forwarded-For": forged},
            **direct,
        )
        assert response.status_code == 429
