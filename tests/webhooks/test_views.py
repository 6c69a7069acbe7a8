import pytest
from django.urls import reverse

from apps.webhooks.models import Delivery, Endpoint
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {role: make_user(f"w-{role}", role) for role in ("viewer", "editor", "reviewer")}


def as_role(client, people, role):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def pages(endpoint, failed):
    """Every webhook URL with the method and data it takes."""
    e = endpoint.pk
    return [
        ("get", reverse("webhooks:endpoints"), {}),
        (
            "post",
            reverse("webhooks:endpoints"),
            {"url": "https://example.org/new", "events": ["ping"]},
        ),
        ("get", reverse("webhooks:endpoint", args=[e]), {}),
        ("post", reverse("webhooks:endpoint_edit", args=[e]), {"url": "https://example.org/x"}),
        ("post", reverse("webhooks:endpoint_active", args=[e]), {"active": "off"}),
        ("post", reverse("webhooks:endpoint_test", args=[e]), {}),
        ("post", reverse("webhooks:redeliver", args=[failed.pk]), {}),
        ("post", reverse("webhooks:endpoint_delete", args=[e]), {}),
    ]


@pytest.fixture
def failed(endpoint):
    return Delivery.objects.create(
        endpoint=endpoint, event="quote.approved", payload={"id": 1}, status="failed", attempts=15
    )


@pytest.mark.parametrize("role", ["anonymous", "viewer", "editor"])
def test_only_reviewers_reach_the_webhook_pages(client, people, endpoint, failed, role):
    as_role(client, people, role)
    for method, url, data in pages(endpoint, failed):
        response = getattr(client, method)(url, data)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(
                "/accounts/login/"
            )
        else:
            assert response.status_code == 403, (method, url)
    assert Endpoint.objects.get() == endpoint and endpoint.active
    assert list(Delivery.objects.all()) == [failed]


def test_reviewers_see_the_nav_link_and_others_do_not(client, people):
    as_role(client, people, "reviewer")
    assert reverse("webhooks:endpoints") in client.get(reverse("articles:list")).text
    as_role(client, people, "editor")
    assert reverse("webhooks:endpoints") not in client.get(reverse("articles:list")).text


def test_a_reviewer_registers_an_endpoint_and_sees_its_secret(client, people):
    as_role(client, people, "reviewer")
    response = client.post(
        reverse("webhooks:endpoints"),
        {
            "url": "https://example.org/hooks",
            "events": ["quote.approved", "contradiction.found"],
            "description": "CMS",
        },
    )
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == endpoint.get_absolute_url()
    assert endpoint.events == ["quote.approved", "contradiction.found"]
    assert endpoint.created_by == people["reviewer"] and endpoint.active
    assert len(endpoint.secret) >= 40
    page = client.get(endpoint.get_absolute_url())
    assert endpoint.secret in page.text and "https://example.org/hooks" in page.text
    listing = client.get(reverse("webhooks:endpoints"))
    assert "https://example.org/hooks" in listing.text and "contradiction.found" in listing.text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"url": "", "events": ["quote.approved"]}, "This field is required."),
        ({"url": "not a url", "events": ["quote.approved"]}, "Enter a valid URL."),
        ({"url": "ftp://example.org/", "events": ["quote.approved"]}, "http:// or https://"),
        ({"url": "https://example.org/"}, "This field is required."),
        ({"url": "https://example.org/", "events": ["article.deleted"]}, "not one of the"),
        ({"url": "https://example.org/" + "x" * 3000, "events": ["ping"]}, "at most 2000"),
    ],
)
def test_bad_endpoints_are_refused_with_a_message(client, people, data, message):
    as_role(client, people, "reviewer")
    response = client.post(reverse("webhooks:endpoints"), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Endpoint.objects.exists()


def test_a_private_address_is_refused_in_production(client, people, settings):
    settings.QUOTETRAIL_WEBHOOKS_ALLOW_PRIVATE = False
    as_role(client, people, "reviewer")
    response = client.post(
        reverse("webhooks:endpoints"), {"url": "http://10.0.0.5/", "events": ["quote.approved"]}
    )
    assert response.status_code == 400 and "not a public address" in response.text
    assert not Endpoint.objects.exists()


def test_the_test_event_button_queues_a_ping(client, people, endpoint, receiver):
    as_role(client, people, "reviewer")
    url = reverse("webhooks:endpoint_test", args=[endpoint.pk])
    response = client.post(url)
    assert response.status_code == 302
    [ping] = Delivery.objects.all()
    assert (ping.event, ping.status, ping.endpoint) == ("ping", "pending", endpoint)
    # htmx gets the page's region back, the new delivery at the top of its log.
    region = client.post(url, headers={"HX-Request": "true"})
    assert region.status_code == 200 and "Test event queued" in region.text
    assert "<html" not in region.text and region.text.count("ping") >= 2


def test_switching_an_endpoint_off_and_on(client, people, endpoint):
    as_role(client, people, "reviewer")
    url = reverse("webhooks:endpoint_active", args=[endpoint.pk])
    assert client.post(url, {"active": "off"}).status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert client.post(url, {"active": "off"}).status_code == 302  # asked twice: still off
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert client.post(url, {"active": "maybe"}).status_code == 400
    assert client.post(url, {"active": "on"}, headers={"HX-Request": "true"}).status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.active


def test_editing_an_endpoint(client, people, endpoint):
    as_role(client, people, "reviewer")
    url = reverse("webhooks:endpoint_edit", args=[endpoint.pk])
    bad = client.post(url, {"url": "gopher://x", "events": ["ping"]})
    assert bad.status_code == 400 and "http:// or https://" in bad.text
    assert endpoint.url in bad.text  # the saved URL still heads the page
    good = client.post(url, {"url": "https://example.org/v2", "events": ["article.imported"]})
    assert good.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == ("https://example.org/v2", ["article.imported"])


def test_redelivering_a_failed_delivery(client, people, endpoint, failed):
    as_role(client, people, "reviewer")
    page = client.get(endpoint.get_absolute_url())
    assert reverse("webhooks:redeliver", args=[failed.pk]) in page.text
    assert client.post(reverse("webhooks:redeliver", args=[failed.pk])).status_code == 302
    again = Delivery.objects.exclude(pk=failed.pk).get()
    assert (again.status, again.event_id, again.attempts) == ("pending", failed.event_id, 0)
    refused = client.post(
        reverse("webhooks:redeliver", args=[again.pk]), headers={"HX-Request": "true"}
    )
    assert refused.status_code == 409 and "Only a failed delivery" in refused.text
    assert Delivery.objects.count() == 2


def test_deleting_an_endpoint_deletes_its_log(client, people, endpoint, failed):
    as_role(client, people, "reviewer")
    response = client.post(reverse("webhooks:endpoint_delete", args=[endpoint.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("webhooks:endpoints")
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()
    assert client.get(endpoint.get_absolute_url()).status_code == 404


def test_the_delivery_log_is_newest_first_and_paginated(
    client, people, endpoint, django_assert_max_num_queries
):
    Delivery.objects.bulk_create(
        Delivery(endpoint=endpoint, event="ping", payload={"n": n}, last_error=f"error {n:02}")
        for n in range(30)
    )
    as_role(client, people, "reviewer")
    with django_assert_max_num_queries(12):
        first = client.get(endpoint.get_absolute_url())
    assert "error 29" in first.text and "error 00" not in first.text
    assert first.text.index("error 29") < first.text.index("error 28")
    second = client.get(endpoint.get_absolute_url(), {"page": 2})
    assert "error 00" in second.text
