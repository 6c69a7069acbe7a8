import pytest
from axes.models import AccessAttempt
from django.apps import apps as django_apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils.timezone import now

from apps.api.tokens import issue
from apps.articles.models import ImportItem, ImportJob
from apps.quotes.models import Quote, Suggestion
from apps.webhooks.events import queue
from apps.webhooks.models import Delivery, Endpoint

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


# Bookkeeping no person edits: version counters and their journal, the trails' index.
INTERNAL = {"core.Version", "core.Change", "quotes.Shingle"}


def registered() -> list[str]:
    return sorted(model._meta.label for model in admin.site._registry)


def test_every_domain_model_has_an_admin():
    missing = [
        model._meta.label
        for model in django_apps.get_models()
        if model.__module__.startswith("apps.")
        and not model.__name__.startswith("Historical")  # shown as each model's history
        and model._meta.label not in INTERNAL
        and model not in admin.site._registry
    ]
    assert missing == []


@pytest.fixture
def one_of_everything(seeded, viewer):
    """At least one row of each model the admin shows, so every change page is opened."""
    issue(viewer, "CMS sync")
    endpoint = Endpoint.objects.create(url="https://hooks.example.org/q", events=["ping"])
    delivery = Delivery.objects.create(endpoint=endpoint, event="ping", payload={"message": "hi"})
    queue([delivery.pk])  # a row on the task queue
    AccessAttempt.objects.create(
        username="mallory", ip_address="127.0.0.1", failures_since_start=1, attempt_time=now()
    )
    job = ImportJob.objects.create(kind="feed", source="https://example.org/feed.xml")
    ImportItem.objects.create(job=job, position=0, url="https://example.org/raqqa", state="refused")
    if not Suggestion.objects.exists():
        Suggestion.objects.create(
            article=seeded, start=0, end=5, exact=seeded.body[:5], kind="direct", confidence=0.5
        )


def test_every_domain_model_admin_is_among_the_pages_opened():
    opened = set(registered())
    assert {"quotes.Suggestion", "quotes.Quote", "claims.Stance", "webhooks.Delivery"} <= opened


@pytest.mark.parametrize("label", registered())
def test_every_admin_page_opens(client, admin_user, one_of_everything, label):
    """The list (searched too), an object's change, history and delete pages, and the add
    page where the admin allows adding. The test client raises what a view raises, so a
    page that would be a 500 fails here."""
    model = django_apps.get_model(label)
    info = model._meta.app_label, model._meta.model_name
    client.force_login(admin_user)
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "Raqqa"}).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {label} to open"
    for page in ("change", "history"):
        url = reverse(f"admin:{info[0]}_{info[1]}_{page}", args=[obj.pk])
        assert client.get(url).status_code == 200, url
    request = RequestFactory().get(changelist)
    request.user = admin_user
    model_admin = admin.site._registry[model]
    delete = reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])
    allowed = model_admin.has_delete_permission(request, obj)
    assert client.get(delete).status_code == (200 if allowed else 403), delete
    add = reverse("admin:{}_{}_add".format(*info))
    allowed = model_admin.has_add_permission(request)
    assert client.get(add).status_code == (200 if allowed else 403), add


def test_a_delivery_is_sent_again_from_the_admin(client, admin_user, one_of_everything):
    delivery = Delivery.objects.get()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "send_again", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert response.status_code == 200
    again = Delivery.objects.exclude(pk=delivery.pk).get()
    assert (again.event_id, again.status, again.attempts) == (delivery.event_id, "pending", 0)


def test_the_webhook_secret_is_not_shown_in_the_admin(client, admin_user, one_of_everything):
    endpoint = Endpoint.objects.get()
    client.force_login(admin_user)
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200 and endpoint.secret not in page.content.decode()
