import pytest
from django.urls import reverse

from apps.api.tokens import authenticate, issue

CHANGELIST = reverse("admin:api_apitoken_changelist")


def test_changelist_shows_tokens_without_their_digest(client, admin_user, viewer):
    token, raw = issue(viewer, "CMS sync")
    client.force_login(admin_user)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "CMS sync" in page and token.prefix in page and "vic" in page
    assert token.digest not in page and raw not in page
    change = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert change.status_code == 200
    assert token.digest not in change.content.decode()
    assert client.get(CHANGELIST, {"q": "CMS"}).status_code == 200


def test_tokens_are_not_added_or_edited_in_the_admin(client, admin_user, viewer):
    token, raw = issue(viewer, "CMS sync")
    client.force_login(admin_user)
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    client.post(
        reverse("admin:api_apitoken_change", args=[token.pk]),
        {"name": "Renamed", "digest": "0" * 64, "revoked_at": ""},
    )
    token.refresh_from_db()
    assert token.name == "CMS sync" and authenticate(raw) == token


def test_admin_action_revokes(client, admin_user, viewer):
    token, raw = issue(viewer, "CMS sync")
    other, other_raw = issue(viewer, "Other")
    client.force_login(admin_user)
    response = client.post(
        CHANGELIST, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert "Revoked 1 token(s)." in response.content.decode()
    assert authenticate(raw) is None
    assert authenticate(other_raw) == other


@pytest.mark.parametrize("who", ["viewer_client", "editor_client"])
def test_admin_is_closed_to_the_newsroom(request, who):
    assert request.getfixturevalue(who).get(CHANGELIST).status_code == 302
