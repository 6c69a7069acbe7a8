"""GET /api/v1/suggestions and the accept and dismiss decisions."""

from apps.quotes.models import Suggestion

from .conftest import new_article, problem


def test_suggestions_are_accepted_and_dismissed(api_as):
    editor = api_as("editor")
    article = new_article(editor).json()
    open_ = editor.get("/suggestions", article=article["id"]).json()["items"]
    assert open_
    accepted = editor.post(f"/suggestions/{open_[0]['id']}/accept")
    assert accepted.status_code == 201, accepted.content
    quote = accepted.json()
    assert quote["status"] == "draft" and quote["text"] == open_[0]["text"]
    again = problem(editor.post(f"/suggestions/{open_[0]['id']}/accept"), 409)
    assert "already decided" in again["detail"]
    remaining = editor.get("/suggestions", article=article["id"]).json()["items"]
    assert open_[0]["id"] not in [item["id"] for item in remaining]
    assert remaining
    dismissed = editor.post(f"/suggestions/{remaining[0]['id']}/dismiss").json()
    assert dismissed["status"] == Suggestion.Status.DISMISSED
    problem(api_as("viewer").post(f"/suggestions/{open_[0]['id']}/dismiss"), 403)
    problem(editor.post("/suggestions/999999/accept"), 404)
