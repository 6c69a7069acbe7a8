import pytest
from django.urls import reverse

from apps.sources.models import Source, Speaker


@pytest.fixture
def pages(seeded):
    speaker = Speaker.objects.first()
    source = Source.objects.first()
    return [
        reverse("home"),
        reverse("articles:list"),
        reverse("articles:import"),
        seeded.get_absolute_url(),
        reverse("quotes:article_annotations", args=[seeded.pk]),
        reverse("quotes:trail", args=[seeded.quotes.first().pk]),
        reverse("quotes:span_trail", args=[seeded.pk]) + "?start=0&end=40",
        reverse("sources:speakers"),
        speaker.get_absolute_url(),
        reverse("quotes:speaker_repeated", args=[speaker.pk]),
        reverse("sources:sources"),
        source.get_absolute_url(),
    ]


def test_every_page_sends_anonymous_users_to_login(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_every_page_opens_for_a_viewer_except_import(viewer_client, pages):
    for url in pages:
        response = viewer_client.get(url, follow=True)
        expected = 403 if url == reverse("articles:import") else 200
        assert response.status_code == expected, url


def test_post_to_a_read_only_page_is_refused(viewer_client, seeded):
    assert viewer_client.post(seeded.get_absolute_url()).status_code == 405


def test_login_page_logs_in_and_logout_needs_post(client, viewer):
    response = client.post(
        reverse("login"), {"username": "vic", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("articles:list")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("articles:list")).status_code == 302
