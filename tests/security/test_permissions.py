"""Every URL × every method × every role, against a table of who may do what.

Fails on any 500, on any success (2xx, or a redirect anywhere but the login page)
for a role that may not act, on an allowed role being refused, and on a refused
request that changed the database.
"""

from dataclasses import dataclass, field

from django.contrib import admin
from django.urls import reverse

from apps.claims.forms import claim_label
from apps.quotes.models import Quote

from .support import (
    METHODS,
    ROLES,
    changed_tables,
    fingerprint,
    quote_form_data,
    send,
    source_form_data,
    speaker_form_data,
    speaker_name,
    stance_data,
    suggestion_span,
    walk,
)

PUBLIC = frozenset(ROLES)
EVERYONE = frozenset({"viewer", "editor", "reviewer", "admin"})
TAGGERS = frozenset({"editor", "reviewer", "admin"})  # can_tag
IMPORTERS = frozenset({"editor", "admin"})  # can_import: reviewers do not import or correct
REVIEWERS = frozenset({"reviewer", "admin"})  # can_review
STAFF = frozenset({"admin"})

READ = {"GET": EVERYONE}

# Who may do what: {url name: {method: roles allowed}}. A method not listed is refused to
# everyone (403/405, or the login page for anonymous users). HEAD follows GET's row.
RULES = {
    "home": READ,
    "healthz": {"GET": PUBLIC},
    "livez": {"GET": PUBLIC},
    "readyz": {"GET": PUBLIC},
    # Django's LoginView handles PUT like POST; request.POST is empty for PUT, so it only
    # shows the form again and nobody is logged in.
    "login": {"GET": PUBLIC, "POST": PUBLIC, "PUT": PUBLIC},
    "logout": {"POST": PUBLIC},  # and then lands on the login page
    "articles:list": READ,
    "articles:import": {"GET": IMPORTERS, "POST": IMPORTERS},
    "articles:import_feed": {"POST": IMPORTERS},
    "articles:import_urls": {"POST": IMPORTERS},
    "articles:import_job": {"GET": IMPORTERS},
    "quotes:article": READ,
    "quotes:article_edit": {"GET": IMPORTERS, "POST": IMPORTERS},
    "quotes:editor_idle": {"GET": TAGGERS},
    "quotes:new": {"GET": TAGGERS},
    "quotes:create": {"POST": TAGGERS},
    "quotes:edit": {"GET": TAGGERS},
    "quotes:update": {"POST": TAGGERS},
    "quotes:delete": {"GET": TAGGERS, "POST": TAGGERS},
    "quotes:history": READ,
    "quotes:quotes_csv": READ,
    "quotes:search": READ,
    "quotes:search_live": READ,
    "quotes:suggestion_decide": {"POST": TAGGERS},
    "quotes:suggestions_accept_all": {"POST": TAGGERS},
    "quotes:suggestions_panel": {"GET": TAGGERS},
    "quotes:work_retry": {"POST": IMPORTERS},
    "quotes:article_annotations": READ,
    "quotes:trail": READ,
    "quotes:span_trail": READ,
    "quotes:speaker_repeated": READ,
    "sources:speakers": READ,
    "sources:speaker_options": READ,
    "sources:speaker": READ,
    "sources:speaker_edit": {"GET": TAGGERS, "POST": TAGGERS},
    "sources:speaker_merge": {"POST": TAGGERS},
    "sources:sources": READ,
    "sources:source_options": READ,
    "sources:source": READ,
    "sources:source_edit": {"GET": TAGGERS, "POST": TAGGERS},
    "sources:source_original": {"POST": TAGGERS},
    "sources:import_original": {"GET": TAGGERS, "POST": TAGGERS},
    "sources:article_options": READ,
    "claims:board": READ,
    "claims:matrix": READ,
    "claims:claims": READ,
    "claims:claim_create": {"POST": REVIEWERS},
    "claims:claim_options": READ,
    "claims:claim": READ,
    "claims:claim_edit": {"POST": REVIEWERS},
    "claims:claim_statements": {"GET": TAGGERS, "POST": TAGGERS},
    "claims:quote_stances": {"GET": EVERYONE, "POST": TAGGERS},
    "claims:stance_delete": {"POST": TAGGERS},
    "claims:speaker_timeline": READ,
    "claims:review": {"GET": TAGGERS},
    # review_bulk and review_action depend on the action: see VARIANTS.
    "claims:review_bulk": {},
    "claims:review_action": {},
    "claims:compare": READ,
    "claims:compare_csv": READ,
    "claims:contradictions_csv": READ,
    "claims:claims_jsonld": READ,
    # Everyone manages their own API tokens; another person's token is not found (VARIANTS).
    "tokens:list": {"GET": EVERYONE, "POST": EVERYONE},
    "tokens:revoke": {},
    "webhooks:endpoints": {"GET": REVIEWERS, "POST": REVIEWERS},
    "webhooks:endpoint": {"GET": REVIEWERS},
    "webhooks:endpoint_edit": {"POST": REVIEWERS},
    "webhooks:endpoint_active": {"POST": REVIEWERS},
    "webhooks:endpoint_delete": {"POST": REVIEWERS},
    "webhooks:endpoint_test": {"POST": REVIEWERS},
    "webhooks:redeliver": {"POST": REVIEWERS},
}

# Routes whose rule depends on a path segment or on the action posted: see cases().
VARIANTS = (
    "quotes:suggestion_decide",
    "claims:review_action",
    "claims:review_bulk",
    "tokens:revoke",
)

# Admin pages: staff only, whatever the method; Django decides what staff get.
ADMIN = {method: STAFF for method in METHODS}

# django-tasks-db's task results are read-only in the admin: staff read them, nobody posts.
ADMIN_READ_ONLY = {method: STAFF for method in METHODS if method != "POST"}
READ_ONLY_ADMIN_MODELS = {"django_tasks_database.dbtaskresult"}

# Admin internals left out, and why. Every other pattern of config.urls is checked.
SKIPPED = {
    "admin:login": "the admin's sign-in, public by design (it hands over to `login`)",
    "admin:logout": "Django's own logout; logging out is checked through `logout`",
    "admin:password_change": "Django's own password form behind the same staff check",
    "admin:password_change_done": "Django's own confirmation page behind the same staff check",
    "admin:autocomplete": "Django's select2 JSON endpoint behind the same staff check",
    "admin:jsi18n": "Django's JavaScript catalogue for admin widgets",
    "admin:view_on_site": "Django's redirect to an object's public URL",
}
SKIPPED_SUFFIXES = {
    "_add": "admin add forms share the changelist's staff check (checked)",
    "_delete": "admin delete confirmations share the change form's staff check (checked)",
    "_history": "admin history pages share the change form's staff check (checked)",
    "_simple_history": "django-simple-history's regex route for one historical version",
    "_password_change": "Django's own set-password form for a user",
}
UNNAMED = "unnamed admin patterns: the object-URL redirect and the catch-all 404"


@dataclass
class Case:
    label: str
    url: str
    rules: dict
    data: dict = field(default_factory=dict)  # sent with every method
    get_data: dict = field(default_factory=dict)  # GET/HEAD query, when it differs
    # How a logged-in role that may not act is refused: 404 where even the object's
    # existence is private (another person's token).
    refused_with: tuple[int, ...] = (403, 405)


def cases(world) -> list[Case]:
    """One or more concrete requests per URL name, filled with seeded objects."""
    w = world
    article, quote = w.article, w.quote
    pk_of = {
        "quotes:article": article.pk,
        "quotes:article_edit": article.pk,
        "quotes:editor_idle": article.pk,
        "quotes:new": article.pk,
        "quotes:create": article.pk,
        "quotes:suggestions_accept_all": article.pk,
        "quotes:suggestions_panel": article.pk,
        "quotes:work_retry": article.pk,
        "quotes:article_annotations": article.pk,
        "quotes:edit": quote.pk,
        "quotes:update": quote.pk,
        "quotes:delete": quote.pk,
        "quotes:history": quote.pk,
        "quotes:trail": quote.pk,
        "quotes:span_trail": article.pk,
        "quotes:speaker_repeated": w.person.pk,
        "claims:quote_stances": quote.pk,
        "sources:speaker": w.person.pk,
        "sources:speaker_edit": w.person.pk,
        "sources:speaker_merge": w.person.pk,
        "claims:speaker_timeline": w.person.pk,
        "sources:source": w.source.pk,
        "sources:source_edit": w.source.pk,
        "sources:source_original": w.source.pk,
        "claims:claim": w.claim.pk,
        "claims:claim_edit": w.claim.pk,
        "claims:claim_statements": w.claim.pk,
        "claims:stance_delete": w.stance.pk,
        "articles:import_job": w.import_job.pk,
        "webhooks:endpoint": w.endpoint.pk,
        "webhooks:endpoint_edit": w.endpoint.pk,
        "webhooks:endpoint_active": w.endpoint.pk,
        "webhooks:endpoint_delete": w.endpoint.pk,
        "webhooks:endpoint_test": w.endpoint.pk,
        "webhooks:redeliver": w.failed_delivery.pk,
    }
    data = {
        "login": {"username": "sec-viewer", "password": "correct horse battery"},
        "articles:import": {
            "text": "Permission check\n\nThe mayor said “the bridge opens on Monday”.",
            "pasted_format": "text",
        },
        # Nothing listens on port 9 of loopback: the job runs and its feed or page is refused.
        "articles:import_feed": {"feed-url": "http://127.0.0.1:9/feed.xml"},
        "articles:import_urls": {"pages-urls": "http://127.0.0.1:9/story.html"},
        "quotes:article_edit": {
            "title": article.title,
            "body": article.body + "\n\nA correction was appended.",
            "fingerprint": article.fingerprint,
        },
        "quotes:create": {**suggestion_span(w), "kind": "direct"},
        "quotes:update": {**quote_form_data(quote), "note": "Checked again."},
        "quotes:delete": {"version": quote.version},
        "quotes:suggestions_accept_all": {"threshold": "0.5"},
        "sources:speaker_edit": {**speaker_form_data(w.person), "role": "changed role"},
        "sources:speaker_merge": {"duplicate": speaker_name(w)},
        "sources:source_edit": {**source_form_data(w.source), "publisher": "Changed"},
        "sources:source_original": {"original": f"{article.title} (#{article.pk})"},
        "sources:import_original": {
            "text": "Permission check release\n\nThe coalition said the bridge opens on Monday.",
            "pasted_format": "text",
            "new_source_title": "Permission check release",
            "new_source_kind": "press_release",
        },
        "claims:claim_create": {"text": "A claim made by the permission check"},
        "claims:claim_edit": {"text": w.claim.text + " (edited)", "description": ""},
        "claims:quote_stances": stance_data(w),
        "claims:claim_statements": {"row": f"{quote.pk}:qualifies", "note": "checked"},
        "tokens:list": {"name": "Permission check"},
        "webhooks:endpoints": {
            "url": "https://example.org/permission-check",
            "events": ["quote.approved", "contradiction.found"],
        },
        "webhooks:endpoint_edit": {
            "url": "https://example.org/permission-check",
            "events": ["article.imported"],
        },
        "webhooks:endpoint_active": {"active": "off"},
    }
    get_data = {
        "quotes:new": suggestion_span(w),
        "quotes:search": {"q": "Raqqa"},
        "quotes:search_live": {"q": "Raqqa"},
        "quotes:span_trail": {"start": quote.start, "end": quote.end},
        "sources:speaker_options": {"q": w.person.name[:4]},
        "sources:article_options": {"q": article.title[:4]},
        "claims:claim_options": {"q": claim_label(w.claim)[:5]},
        "claims:compare": {"left": w.organization.pk, "right": w.person.pk},
        "claims:compare_csv": {"left": w.person.pk, "right": w.organization.pk},
    }
    found = []
    for route in walk():
        name = route.name
        if name in RULES and name not in VARIANTS:
            kwargs = {"pk": pk_of[name]} if "pk" in route.converters else {}
            found.append(
                Case(
                    name,
                    reverse(name, kwargs=kwargs),
                    RULES[name],
                    data.get(name, {}),
                    get_data.get(name, data.get(name, {})),
                )
            )
    # Variants whose rule depends on a path segment or on the action posted.
    for decision in ("accept", "dismiss"):
        found.append(
            Case(
                f"quotes:suggestion_decide[{decision}]",
                reverse("quotes:suggestion_decide", args=[w.suggestion.pk, decision]),
                RULES["quotes:suggestion_decide"],
            )
        )
    who = {"submit": TAGGERS, "approve": REVIEWERS, "reject": REVIEWERS}
    items = {
        "quote": {"submit": quote.pk, "approve": w.submitted_quote.pk, "reject": quote.pk},
        "stance": {
            "submit": w.stance.pk,
            "approve": w.submitted_stance.pk,
            "reject": w.stance.pk,
        },
    }
    for kind, by_action in items.items():
        for action, pk in by_action.items():
            found.append(
                Case(
                    f"claims:review_action[{kind}/{action}]",
                    reverse("claims:review_action", args=[kind, pk, action]),
                    {"POST": who[action]},
                    {"reason": "Not attributed correctly."},
                )
            )
    for action in ("submit", "approve", "reject"):
        found.append(
            Case(
                f"claims:review_bulk[{action}]",
                reverse("claims:review_bulk"),
                {"POST": who[action]},
                {
                    "action": action,
                    "item": [f"quote:{w.submitted_quote.pk}", f"stance:{w.stance.pk}"],
                    "reason": "Not attributed correctly.",
                },
            )
        )
    # No action chosen: taggers are sent back to the queue with a message; viewers refused.
    found.append(
        Case("claims:review_bulk[no action]", reverse("claims:review_bulk"), {"POST": TAGGERS})
    )
    # A token is revoked by its owner only; to anyone else it does not exist.
    for owner, token in w.tokens.items():
        found.append(
            Case(
                f"tokens:revoke[{owner}'s token]",
                reverse("tokens:revoke", args=[token.pk]),
                {"GET": {owner}, "POST": {owner}},
                refused_with=(404, 405),
            )
        )
    # The admin: the index, each app, each changelist and each model's first change form.
    found.append(Case("admin:index", reverse("admin:index"), ADMIN))
    for app_label in ("auth", "articles", "sources", "quotes", "claims", "axes", "api"):
        found.append(
            Case(
                f"admin:app_list[{app_label}]",
                reverse("admin:app_list", kwargs={"app_label": app_label}),
                ADMIN,
            )
        )
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        found.append(Case(f"{info}_changelist", reverse(f"{info}_changelist"), ADMIN))
        pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
        read_only = model._meta.label_lower in READ_ONLY_ADMIN_MODELS
        rules = ADMIN_READ_ONLY if read_only else ADMIN
        found.append(Case(f"{info}_change", reverse(f"{info}_change", args=[pk]), rules))
    return found


def _skip_reason(name: str) -> str | None:
    if not name:
        return UNNAMED
    if name.startswith("api-v1:"):
        return "the JSON API has its own matrix, through tokens (test_api_permissions.py)"
    if name in SKIPPED:
        return SKIPPED[name]
    if name.startswith("admin:"):
        for suffix, reason in SKIPPED_SUFFIXES.items():
            if name.endswith(suffix):
                return reason
    return None


def _verdict(case: Case, role: str, method: str, outcome) -> str | None:
    """What is wrong with this answer, or None."""
    if outcome.status >= 500:
        return f"server error {outcome.status} {outcome.error}"
    rule_method = "GET" if method == "HEAD" else method
    allowed = role in case.rules.get(rule_method, frozenset())
    success = 200 <= outcome.status < 300 or (300 <= outcome.status < 400 and not outcome.to_login)
    if allowed:
        lands_on_login = case.label == "logout"
        if outcome.status in (401, 403) or (
            outcome.to_login and role != "anonymous" and not lands_on_login
        ):
            return f"refused ({outcome.status} {outcome.location}) but the role is allowed"
        if outcome.status == 405 and method != "HEAD":
            return "405 for an allowed method"
        return None
    if success:
        return f"UNEXPECTED SUCCESS {outcome.status} {outcome.location}"
    if role == "anonymous" and not (outcome.to_login or outcome.status in (401, 403, 405)):
        return f"anonymous got {outcome.status} instead of the login page"
    if role != "anonymous" and not (outcome.status in case.refused_with or outcome.to_login):
        expected = "/".join(map(str, case.refused_with))
        return f"refused with {outcome.status} instead of {expected}"
    if outcome.changed:
        return f"refused ({outcome.status}) but changed {outcome.changed}"
    return None


def test_every_route_is_in_the_table_or_skipped_with_a_reason(world):
    covered = {case.label.partition("[")[0] for case in cases(world)}
    routes = walk()
    assert routes and covered
    unaccounted = [
        r.route for r in routes if r.name not in covered and _skip_reason(r.name) is None
    ]
    assert unaccounted == []
    assert set(RULES) <= covered


def test_permission_matrix(world):
    checked, problems = 0, []
    for case in cases(world):
        for role in ROLES:
            for method in METHODS:
                payload = case.get_data if method in ("GET", "HEAD") else case.data
                outcome = send(world, role, method, case.url, payload, counter="matrix")
                checked += 1
                problem = _verdict(case, role, method, outcome)
                if problem:
                    problems.append(f"{case.label} {method} as {role}: {problem}")
    print(f"permission matrix: {checked} requests (URLs × roles × methods)")
    assert checked >= 50 * len(ROLES) * len(METHODS)
    assert problems == [], "\n".join(problems)


def test_the_fingerprint_sees_a_change_to_any_row(world):
    """The guard behind "refusals change nothing" notices a one-field edit and rolls back."""
    quote = world.quote
    outcome = send(world, "editor", "POST", reverse("quotes:update", args=[quote.pk]), {})
    assert outcome.status == 400 and outcome.changed == []
    Quote.objects.filter(pk=quote.pk).update(note=quote.note + ".")
    assert changed_tables(world.baseline, fingerprint()) == ["quotes.Quote"]
