"""Shared by the security tests: the seeded world, role clients, the URL walk,
a fingerprint of every domain table, and the request counters.

Every request runs inside a savepoint that is rolled back afterwards, so each
one meets the same freshly seeded database and one cannot poison the next.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.api.tokens import issue
from apps.articles.models import ImportItem, ImportJob
from apps.claims.forms import claim_label
from apps.claims.models import Claim, Stance
from apps.core.review import ReviewStatus
from apps.quotes.forms import QuoteForm
from apps.quotes.models import Quote, Suggestion
from apps.sources.lookup import speaker_label
from apps.sources.models import Source, Speaker
from apps.webhooks.models import Delivery, Endpoint
from apps.webhooks.tasks import deliver
from tests.conftest import make_user

ROLES = ("anonymous", "viewer", "editor", "reviewer", "admin")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")

# Requests sent and server errors seen, per test module; printed at the end of the run.
COUNTS: Counter = Counter()

# Apps whose tables hold newsroom data (history tables included), the API tokens and
# the webhooks.
DOMAIN_APPS = ("core", "articles", "sources", "quotes", "claims", "api", "webhooks")


def fuzz_examples(default: int) -> int:
    """Hypothesis examples per fuzz test: FUZZ_EXAMPLES scales the default suite up."""
    value = os.environ.get("FUZZ_EXAMPLES")
    return int(value) if value else default


# --- the database fingerprint -----------------------------------------------------------


def _fingerprinted_models():
    models = [m for label in DOMAIN_APPS for m in apps.get_app_config(label).get_models()]
    return [*models, User, Group, User.groups.through, Group.permissions.through]


# Columns a read writes as bookkeeping: signing in sets `last_login`, a token's use its
# `last_used`. Neither is a change a refused request could be blamed for.
BOOKKEEPING = {"last_login", "last_used"}


@functools.cache
def _fingerprint_sql(vendor: str) -> str:
    """One query: per table, every row of every column, in primary-key order (hashed with
    md5 on PostgreSQL, concatenated on SQLite; the seeded database is small)."""
    qn = connection.ops.quote_name
    parts = []
    for model in _fingerprinted_models():
        fields = [f for f in model._meta.concrete_fields if f.attname not in BOOKKEEPING]
        columns = [qn(f.column) for f in fields]
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        label = model._meta.label
        if vendor == "postgresql":
            rows = f"string_agg(ROW({', '.join(columns)})::text, '|' ORDER BY {pk})"
            parts.append(f"SELECT '{label}', md5(coalesce({rows}, '')) FROM {table}")
        else:
            row = " || ',' || ".join(f"quote({c})" for c in columns)
            parts.append(
                f"SELECT '{label}', (SELECT group_concat(r, '|') FROM "
                f"(SELECT {row} AS r FROM {table} ORDER BY {pk}))"
            )
    return " UNION ALL ".join(parts)


def fingerprint() -> dict[str, str]:
    """Every row of every domain table, plus users and their groups, less BOOKKEEPING."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(connection.vendor))
        return dict(cursor.fetchall())


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


# --- the seeded world -------------------------------------------------------------------


@dataclass(repr=False)
class World:
    """Real seeded objects to fill URLs and forms with, and a logged-in client per role."""

    article: object
    quote: Quote  # approved
    submitted_quote: Quote
    other_quote: Quote
    suggestion: Suggestion
    person: Speaker
    other_person: Speaker
    organization: Speaker
    source: Source
    claim: Claim
    other_claim: Claim
    stance: Stance
    submitted_stance: Stance
    endpoint: Endpoint
    failed_delivery: Delivery
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)  # role -> that user's active API token
    bearer: dict = field(default_factory=dict)  # role -> the same token as sent in a header
    clients: dict = field(default_factory=dict)
    baseline: dict = field(default_factory=dict)
    import_job: object = None  # an import from the web, finished

    def __repr__(self) -> str:
        return f"World(article={self.article.pk})"

    def _repr_pretty_(self, printer, cycle):  # hypothesis prints fixtures with this
        printer.text(repr(self))

    def client(self, role: str) -> Client:
        return self.clients[role]

    def relogin(self, role: str) -> None:
        if role != "anonymous":
            self.clients[role].force_login(self.users[role])


def build_world(article, enforce_csrf_checks: bool = False) -> World:
    quotes = list(Quote.objects.filter(article=article).order_by("start", "id"))
    quote, submitted_quote, other_quote = quotes[0], quotes[1], quotes[2]
    Quote.objects.filter(pk=submitted_quote.pk).update(status=ReviewStatus.SUBMITTED)
    stances = list(Stance.objects.order_by("id"))
    Stance.objects.filter(pk=stances[1].pk).update(status=ReviewStatus.SUBMITTED)
    people = list(Speaker.objects.filter(kind=Speaker.Kind.PERSON).order_by("id"))
    claims = list(Claim.objects.order_by("id"))
    # A webhook endpoint listening to everything (requests that act also write deliveries),
    # a failed delivery to redeliver and a pending one on the task queue.
    endpoint = Endpoint.objects.create(
        url="https://example.org/hooks",
        events=["article.imported", "quote.approved", "stance.approved", "contradiction.found"],
    )
    failed = Delivery.objects.create(
        endpoint=endpoint, event="quote.approved", payload={"id": quote.pk}, status="failed"
    )
    deliver.enqueue(Delivery.objects.create(endpoint=endpoint, event="ping").pk)
    world = World(
        article=article,
        quote=quote,
        submitted_quote=submitted_quote,
        other_quote=other_quote,
        suggestion=Suggestion.objects.open_for(article).first(),
        person=people[0],
        other_person=people[1],
        organization=Speaker.objects.filter(kind=Speaker.Kind.ORGANIZATION).first(),
        source=Source.objects.order_by("id").first(),
        claim=claims[0],
        other_claim=claims[1],
        stance=stances[0],
        submitted_stance=stances[1],
        endpoint=endpoint,
        failed_delivery=failed,
    )
    world.users = {
        "viewer": make_user("sec-viewer", "viewer"),
        "editor": make_user("sec-editor", "editor"),
        "reviewer": make_user("sec-reviewer", "reviewer"),
        "admin": make_user("sec-admin", None, is_staff=True, is_superuser=True),
    }
    issued = {role: issue(user, "Security check") for role, user in world.users.items()}
    world.tokens = {role: token for role, (token, _) in issued.items()}
    world.bearer = {role: raw for role, (_, raw) in issued.items()}
    for role in ROLES:
        world.clients[role] = Client(
            enforce_csrf_checks=enforce_csrf_checks, raise_request_exception=False
        )
        world.relogin(role)
    # One failed login from elsewhere, so the admin's lockout pages have a row to show.
    Client().post(
        resolve_url("login"),
        {"username": "sec-viewer", "password": "wrong"},
        REMOTE_ADDR="192.0.2.1",
    )
    world.import_job = ImportJob.objects.create(
        kind="urls", source="https://example.org/story", status="done", created_by=None
    )
    ImportItem.objects.create(
        job=world.import_job,
        position=0,
        url="https://example.org/story",
        state="imported",
        article=article,
    )
    for instance in (quote, submitted_quote, other_quote, world.stance, world.submitted_stance):
        instance.refresh_from_db()
    world.baseline = fingerprint()
    return world


# --- valid form data, so that an allowed role really acts --------------------------------


def quote_form_data(quote: Quote) -> dict:
    initial = QuoteForm.for_quote(quote).initial
    return {k: "" if v is None else str(v) for k, v in initial.items()}


def speaker_form_data(speaker: Speaker) -> dict:
    return {
        "name": speaker.name,
        "kind": speaker.kind,
        "role": speaker.role,
        "affiliation": speaker.affiliation_id or "",
        "aliases": "\n".join(speaker.aliases.values_list("alias", flat=True)),
    }


def source_form_data(source: Source) -> dict:
    return {
        "title": source.title,
        "kind": source.kind,
        "publisher": source.publisher,
        "url": source.url,
        "date": source.date.isoformat() if source.date else "",
    }


def suggestion_span(world: World) -> dict:
    s = world.suggestion
    return {"text": s.exact, "start": s.start, "end": s.end, "offsets": "codepoints"}


def stance_data(world: World) -> dict:
    return {"claim": claim_label(world.other_claim), "position": "denies", "note": "Checked."}


def speaker_name(world: World) -> str:
    return speaker_label(world.other_person)


# --- the URL walk -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "quotes:create"
    route: str
    converters: tuple[str, ...]


def walk(patterns=None, namespace: str = "", prefix: str = "") -> list[Route]:
    """Every URL pattern of config.urls, resolvers followed recursively."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            nested = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found += walk(entry.url_patterns, nested, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            converters = (
                tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
            )
            found.append(Route(name, prefix + str(entry.pattern), converters))
    return found


# --- sending a request --------------------------------------------------------------------


@dataclass
class Outcome:
    status: int
    location: str
    changed: list[str]
    error: str
    content_type: str = ""

    @property
    def to_login(self) -> bool:
        login = resolve_url(settings.LOGIN_URL)
        return self.status in (301, 302, 303, 307, 308) and (
            self.location.startswith(login) or self.location.startswith("/admin/login/")
        )


def send(
    world: World,
    role: str,
    method: str,
    url: str,
    data=None,
    *,
    htmx: bool = False,
    headers: dict | None = None,
    raw_body: bytes | None = None,
    content_type: str = "application/x-www-form-urlencoded",
    counter: str = "requests",
) -> Outcome:
    """One request in a savepoint rolled back afterwards; the fingerprint is compared
    whenever the answer is a 4xx or a redirect to the login page."""
    client = world.client(role)
    extra = dict(headers or {})
    if htmx:
        extra.setdefault("HX-Request", "true")
    with transaction.atomic():
        if raw_body is not None:
            response = client.generic(
                method, url, raw_body, content_type=content_type, headers=extra
            )
        elif method in ("GET", "HEAD"):
            response = getattr(client, method.lower())(url, data or {}, headers=extra)
        elif method == "POST" and not isinstance(data, str):
            response = client.post(url, data or {}, headers=extra)
        else:
            body = data if isinstance(data, str) else urlencode(data or {}, doseq=True)
            response = client.generic(
                method,
                url,
                body,
                content_type="application/x-www-form-urlencoded",
                headers=extra,
            )
        error = ""
        if response.status_code < 500 and getattr(response, "streaming", False):
            try:
                b"".join(response.streaming_content)
            except Exception as exc:  # a broken stream is a 500 the client never sees
                error = f"streaming failed: {exc!r}"
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            error = f"{exc_info[0].__name__}: {exc_info[1]}"
        status = 500 if error else response.status_code
        COUNTS[counter] += 1
        if status >= 500:
            COUNTS["server_errors"] += 1
            changed = []
        else:
            location = response.get("Location", "")
            outcome = Outcome(status, location, [], error, response.get("Content-Type", ""))
            changed = (
                changed_tables(world.baseline, fingerprint())
                if 400 <= status < 500 or outcome.to_login
                else []
            )
        transaction.set_rollback(True)
    # Caches outlive the rollback: drop what this request derived (the pages keyed by
    # history ids) so the next request starts clean. Login failures are rows, rolled back.
    for cache in caches.all(initialized_only=True):
        cache.clear()
    if settings.SESSION_COOKIE_NAME in response.cookies:
        # Logging in or out rotated the session inside the rolled-back savepoint.
        world.relogin(role)
    content_type = response.get("Content-Type", "")
    return Outcome(status, response.get("Location", ""), changed, error, content_type)
