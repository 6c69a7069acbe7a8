import pytest
from django.urls import reverse

from apps.quotes.models import Quote

MODELS = [
    "articles/article",
    "sources/speaker",
    "sources/speakeralias",
    "sources/source",
    "quotes/quote",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_searchable_filterable_admin(client, admin_user, seeded, model):
    client.force_login(admin_user)
    app, name = model.split("/")
    url = reverse(f"admin:{app}_{name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "Dillon"}).status_code == 200


def test_quote_admin_filters_by_kind_and_shows_history(client, admin_user, seeded):
    client.force_login(admin_user)
    url = reverse("admin:quotes_quote_changelist")
    response = client.get(url, {"kind__exact": "direct"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == Quote.objects.filter(kind="direct").count()
    quote = Quote.objects.filter(article=seeded).first()
    history = client.get(reverse("admin:quotes_quote_history", args=[quote.pk]))
    assert history.status_code == 200


def test_admin_is_closed_to_editors(editor_client):
    response = editor_client.get(reverse("admin:quotes_quote_changelist"))
    assert response.status_code == 302
