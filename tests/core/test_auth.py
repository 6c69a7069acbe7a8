from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.roles import can_import, can_review, can_tag
from tests.conftest import make_user


def test_a_page_loads_the_user_and_their_roles_in_one_query(client, db):
    user = make_user("edna", "editor")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/")
    assert response.status_code == 200
    user_queries = [q for q in queries.captured_queries if "auth_" in q["sql"]]
    assert len(user_queries) == 1
    request_user = response.wsgi_request.user
    assert can_tag(request_user) and can_import(request_user) and not can_review(request_user)


def test_a_role_taken_away_applies_on_the_next_request(client, db):
    user = make_user("rita", "reviewer")
    client.force_login(user)
    assert client.get("/review/").status_code == 200
    user.groups.clear()
    assert client.get("/review/").status_code == 403


def test_an_inactive_user_is_signed_out(client, db):
    user = make_user("ivan", "viewer")
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get("/articles/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
