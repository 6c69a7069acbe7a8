"""The guard against server-side request forgery, as production runs it."""

import pytest

from apps.webhooks import addresses
from apps.webhooks import delivery as sending
from apps.webhooks.events import emit
from apps.webhooks.forms import EndpointForm

INSIDE = [
    "http://127.0.0.1:8000/hooks",
    "http://10.1.2.3/hooks",
    "http://[::1]/hooks",
    "http://localhost/hooks",  # a name resolving to loopback
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata: link-local
    "http://192.168.0.10/",
    "http://172.16.5.4/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",  # multicast
    "http://[::ffff:127.0.0.1]/",  # loopback dressed as IPv6
    "http://[fe80::1]/",
]


@pytest.fixture
def production(settings):
    settings.QUOTETRAIL_WEBHOOKS_ALLOW_PRIVATE = False


def form(url):
    return EndpointForm({"url": url, "events": ["quote.approved"], "description": ""})


@pytest.mark.parametrize("url", INSIDE)
def test_registration_refuses_addresses_inside_the_network(production, db, url):
    bound = form(url)
    assert not bound.is_valid()
    assert "not a public address" in bound.errors["url"][0]


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.org/hooks", "http:// or https://"),
        ("file:///etc/passwd", "Enter a valid URL"),
        ("javascript:alert(1)", "Enter a valid URL"),
        ("https://user:pw@example.org/", "no user name or password"),
    ],
)
def test_registration_refuses_other_schemes_and_credentials(db, url, message):
    bound = form(url)
    assert not bound.is_valid()
    assert message in " ".join(bound.errors["url"])


def test_public_addresses_pass_the_check(production):
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "1.1.1.1"):
        assert addresses.is_public(address), address
    for address in ("127.0.0.1", "10.0.0.1", "::1", "fd00::1", "100.64.0.1", "240.0.0.1", "x"):
        assert not addresses.is_public(address), address


def test_loopback_written_as_one_number_is_refused_too(production, db):
    assert not form("http://2130706433/").is_valid()  # the URL field refuses it first
    with pytest.raises(addresses.Refused, match=r"127\.0\.0\.1"):
        addresses.check("http://2130706433/")  # and the resolver sees through it


def test_a_host_resolving_to_one_private_address_among_public_ones_is_refused(
    production, monkeypatch
):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(addresses.Refused, match=r"10\.0\.0\.7"):
        addresses.check("https://rebinding.example/hooks")


def test_a_local_run_may_send_to_its_own_machine(settings):
    settings.QUOTETRAIL_WEBHOOKS_ALLOW_PRIVATE = True
    assert addresses.check("http://127.0.0.1:9000/")[3] == ["127.0.0.1"]
    assert form("http://localhost:9000/hooks").is_valid()


@pytest.mark.parametrize("host", ["127.0.0.1", "10.0.0.8", "[::1]", "localhost"])
def test_delivery_refuses_a_private_address_and_sends_nothing(production, endpoint, receiver, host):
    # Registered when private addresses were allowed, or the DNS answer changed since.
    endpoint.url = receiver.url.replace("127.0.0.1", host)
    endpoint.save()
    [made] = emit("quote.approved", {"id": 1})
    assert sending.attempt(made.pk) == "pending"
    made.refresh_from_db()
    assert made.last_error.startswith("Not sent:") and "not a public address" in made.last_error
    assert made.last_status_code is None and made.attempts == 1
    assert receiver.requests == []


def test_the_request_goes_to_the_address_that_was_checked(endpoint, receiver, monkeypatch):
    """A second DNS lookup by the HTTP client could answer differently (DNS rebinding):
    the connection is made to the checked address, whatever the name resolves to then."""
    endpoint.url = receiver.url.replace("127.0.0.1", "rebinding.invalid")
    endpoint.save()
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["127.0.0.1"])
    [made] = emit("quote.approved", {"id": 1})
    assert sending.attempt(made.pk) == "delivered"
    [request] = receiver.requests
    assert request["headers"]["Host"].startswith("rebinding.invalid")
