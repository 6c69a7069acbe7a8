import re

import pytest
from django.urls import reverse

from apps.api.models import ApiToken
from apps.api.tokens import authenticate, issue

LIST = reverse("tokens:list")
RAW = re.compile(r"qt_[A-Za-z0-9_-]{43}")


def revoke_url(token) -> str:
    return reverse("tokens:revoke", args=[token.pk])


@pytest.mark.parametrize("role", ["viewer", "editor", "reviewer", "admin_user"])
def test_every_role_creates_and_lists_its_tokens(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "No tokens yet." in response.content.decode()
    response = client.post(LIST, {"name": "Newsroom CMS"})
    assert response.status_code == 200
    raws = set(RAW.findall(response.content.decode()))
    assert len(raws) == 1
    token = authenticate(raws.pop())
    assert token.user == user and token.name == "Newsroom CMS"
    assert "will not be shown again" in response.content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_new_token_is_shown_once(viewer_client):
    response = viewer_client.post(LIST, {"name": "Newsroom CMS"})
    raw = RAW.search(response.content.decode()).group()
    assert "no-store" in response["Cache-Control"]
    assert raw not in response.get("Location", "")
    assert raw not in str(dict(viewer_client.session))
    again = viewer_client.get(LIST).content.decode()
    assert raw not in again and not RAW.search(again)
    token = ApiToken.objects.get()
    assert "Newsroom CMS" in again and token.prefix in again and "Active" in again


def test_the_list_shows_only_ones_own_tokens(viewer_client, viewer, editor):
    issue(viewer, "Mine")
    theirs, _ = issue(editor, "Theirs")
    page = viewer_client.get(LIST).content.decode()
    assert "Mine" in page
    assert "Theirs" not in page and theirs.prefix not in page


def test_the_list_says_which_tokens_are_revoked(viewer_client, viewer):
    token, _ = issue(viewer, "Old script")
    viewer_client.post(revoke_url(token))
    page = viewer_client.get(LIST).content.decode()
    assert "Old script" in page and "Revoked" in page
    assert revoke_url(token) not in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "   "}, "This field is required."),
        ({}, "This field is required."),
        ({"name": "x" * 101}, "at most 100 characters"),
        ({"name": "Taken"}, "already have an active token with this name"),
    ],
)
def test_bad_names_get_the_form_again_with_the_error(viewer_client, viewer, data, error):
    issue(viewer, "Taken")
    response = viewer_client.post(LIST, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert 'class="field has-error"' in page  # next to the name, where it is fixed
    assert not RAW.search(page)
    assert ApiToken.objects.count() == 1


def test_a_nul_character_is_refused(viewer_client):
    response = viewer_client.post(LIST, {"name": "a\x00b"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_revokes(viewer_client, viewer):
    token, raw = issue(viewer, "CMS sync")
    confirm = viewer_client.get(revoke_url(token))
    assert confirm.status_code == 200
    assert "Revoke “CMS sync”?" in confirm.content.decode()
    assert authenticate(raw) is not None  # asking changes nothing
    response = viewer_client.post(revoke_url(token))
    assert response.status_code == 302 and response["Location"] == LIST
    assert authenticate(raw) is None
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_a_revoked_token_changes_nothing(viewer_client, viewer):
    token, _ = issue(viewer, "CMS sync")
    viewer_client.post(revoke_url(token))
    token.refresh_from_db()
    first = token.revoked_at
    assert viewer_client.post(revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == first


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_token_is_not_found(editor_client, viewer, method):
    token, raw = issue(viewer, "CMS sync")
    response = getattr(editor_client, method)(revoke_url(token))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert authenticate(raw) == token


def test_an_unknown_token_is_not_found(viewer_client):
    assert viewer_client.post(reverse("tokens:revoke", args=[2**63])).status_code == 404


def test_the_nav_links_to_the_tokens_page(viewer_client):
    page = viewer_client.get(reverse("articles:list")).content.decode()
    assert f'href="{LIST}"' in page


def test_the_pages_have_forms_that_work_without_javascript(viewer_client, viewer):
    token, _ = issue(viewer, "CMS sync")
    page = viewer_client.get(LIST).content.decode()
    assert f'<form method="post" action="{LIST}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    confirm = viewer_client.get(revoke_url(token)).content.decode()
    assert f'<form method="post" action="{revoke_url(token)}">' in confirm


def test_the_list_costs_the_same_for_many_tokens(viewer_client, viewer, django_assert_num_queries):
    viewer_client.get(LIST)
    for i in range(3):
        issue(viewer, f"token {i}")
    with django_assert_num_queries(3):  # session, user with roles, tokens
        viewer_client.get(LIST)
    for i in range(3, 20):
        issue(viewer, f"token {i}")
    with django_assert_num_queries(3):
        viewer_client.get(LIST)
