"""Property-based fuzzing of every form and htmx endpoint.

For each endpoint hypothesis draws a role, a method, hostile values for the fields it
reads (unicode of every kind, NUL, right-to-left and combining marks, 100,000-character
values, overflowing and negative numbers, floats, wrong types), missing and duplicated
fields, unknown fields, bodies that are not UTF-8 or not a form at all, with and without
htmx headers. Properties: never a 500, and a refused request (4xx, or the login page)
leaves every domain table exactly as it was.

The default suite sends about FUZZ_DEFAULT requests per endpoint; FUZZ_EXAMPLES raises
it (`make fuzz`). Under CI the examples are derandomized, so runs are reproducible.
"""

import json
import os
from dataclasses import dataclass, field
from urllib.parse import quote, quote_from_bytes, urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.claims.forms import claim_label
from apps.sources.lookup import source_label, speaker_label

from .support import ROLES, fuzz_examples, quote_form_data, send, source_form_data

FUZZ_DEFAULT = 40

FUZZ = settings(
    max_examples=fuzz_examples(FUZZ_DEFAULT),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

# --- hostile values ------------------------------------------------------------------------

NUMBERS = [
    "0", "-1", "-0", "1.5", "1e9", "1e309", "NaN", "inf", "-inf", "0x1F", " 7 ", "+3",
    str(2**31), str(2**63 - 1), str(2**63), str(-(2**63) - 1), str(2**64), "9" * 40,
    "²", "①", "٣", "߀", "１２",  # digits str.isdigit() accepts but int() may not
]  # fmt: skip
TEXTS = [
    "", " ", "\x00", "a\x00b", "\t\r\n", "\u202egnp.exe", "\u200f\u05e9\u05dc\u05d5\u05dd",
    "\u0627\u0644\u0631\u0642\u0629", "e\u0301\u0301\u0301", "\u0301", "\u200b", "\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "👩\u200d👩\u200d👧", "\U0010ffff", "\ud7ff\ue000", "<script>alert(1)</script>",
    "' OR 1=1 --", "%00", "../../etc/passwd", "{{ 7|add:7 }}", '=HYPERLINK("http://x")',
    "true", "null", "[]", "{}", "Raqqa", "ISIS", "Dillon", "said",
]  # fmt: skip
DATES = ["2017-11-13", "2017-02-30", "9999-12-31", "0001-01-01", "2017-13-01", "17/11/2017"]
URLS = ["https://example.org/a", "javascript:alert(1)", "ftp://x", "http://", "//evil.example"]
HUGE = st.sampled_from(["x" * 100_000, "\u05e9 " * 50_000, "e\u0301" * 50_000, "9" * 100_000])

TEXT = st.text(max_size=40)  # every code point hypothesis likes, NUL and controls included
SCALAR = st.one_of(
    st.sampled_from(TEXTS),
    st.sampled_from(NUMBERS),
    st.sampled_from(DATES + URLS),
    TEXT,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
    HUGE,
)


def value(valid=()):
    """A valid value (so the request gets deep into the view) or a hostile one; `valid`
    is a list of values or a strategy drawing them."""
    if isinstance(valid, st.SearchStrategy):
        return st.one_of(valid, SCALAR)
    choices = [SCALAR]
    if valid:
        choices.insert(0, st.sampled_from([str(v) for v in valid]))
    return st.one_of(*choices)


def field_value(valid=()):
    """Missing (None), one value, or the field sent two or three times."""
    one = value(valid)
    return st.one_of(one, one, st.none(), st.lists(one, min_size=2, max_size=3))


@st.composite
def form(draw, fields: dict):
    data = {}
    for name, valid in fields.items():
        drawn = draw(field_value(valid))
        if drawn is not None:
            data[name] = drawn
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=8), value(), max_size=2))
    for name, drawn in extra.items():
        data.setdefault(name, drawn)
    return data


def path_segment(valid=()):
    """A str path segment: a valid value, or hostile text escaped for the path."""
    hostile = st.one_of(TEXT, st.sampled_from(TEXTS + NUMBERS)).map(
        lambda t: quote(t, safe="") or "x"
    )
    return st.one_of(st.sampled_from(list(valid)), hostile) if valid else hostile


def pk(*valid):
    """An int path segment: a real id, or any non-negative integer (2**63 included)."""
    return st.one_of(
        st.sampled_from(valid),
        st.sampled_from([0, 2**31, 2**63 - 1, 2**63, 2**64, 10**30]),
        st.integers(min_value=0, max_value=2**80),
    )


# --- the endpoints -----------------------------------------------------------------------


@dataclass
class Spec:
    methods: tuple[str, ...]
    url: st.SearchStrategy  # of paths
    fields: dict = field(default_factory=dict)  # name -> valid values
    upload: bool = False


def _span_fields(w, quote_obj=None):
    s = w.suggestion
    body = w.article.body
    q = quote_obj or w.quote
    return {
        "text": [s.exact, q.exact, s.exact.strip('“”"')],
        "start": [s.start, q.start, 0, len(body), len(body) + 1],
        "end": [s.end, q.end, len(body), len(body.encode("utf-16-le")) // 2],
        "offsets": ["codepoints", "utf16"],
        "prefix": [body[max(0, s.start - 32) : s.start]],
        "suffix": [body[s.end : s.end + 32]],
    }


def _quote_fields(w, quote_obj=None):
    return {
        **_span_fields(w, quote_obj),
        "speaker": [speaker_label(w.person), w.person.name, w.organization.name, "New Person"],
        "new_speaker": ["on"],
        "new_speaker_kind": ["person", "organization"],
        "new_speaker_role": ["spokesman"],
        "new_speaker_affiliation": [w.organization.name, speaker_label(w.person)],
        "source": [source_label(w.source), w.source.title, "A new source"],
        "new_source": ["on"],
        "new_source_kind": ["interview", "briefing"],
        "new_source_publisher": ["Newsweek"],
        "new_source_url": URLS,
        "new_source_date": DATES,
        "kind": ["direct", "partial", "indirect"],
        "cue": ["said", "told"],
        "note": ["checked"],
        "version": [w.quote.version, w.other_quote.version],
    }


def _status_fields(w):
    return {"status": ["", "approved", "drafts", "submitted", "rejected", "all"]}


def _page(*extra):
    return {"page": ["1", "2", "last", *extra]}


def spec_tag_form(w):
    return Spec(
        ("GET",), pk(w.article.pk).map(lambda p: f"/articles/{p}/quotes/new/"), _span_fields(w)
    )


def spec_quote_create(w):
    return Spec(
        ("POST",), pk(w.article.pk).map(lambda p: f"/articles/{p}/quotes/"), _quote_fields(w)
    )


def spec_quote_update(w):
    fields = _quote_fields(w)
    for name, current in quote_form_data(w.quote).items():
        fields.setdefault(name, [])
        fields[name] = [current, *fields[name]]
    return Spec(("POST",), pk(w.quote.pk, w.other_quote.pk).map(lambda p: f"/quotes/{p}/"), fields)


def spec_quote_delete(w):
    return Spec(
        ("GET", "POST"),
        pk(w.quote.pk, w.other_quote.pk).map(lambda p: f"/quotes/{p}/delete/"),
        {"version": [w.quote.version, w.other_quote.version]},
    )


def spec_quote_pages(w):
    urls = st.tuples(
        st.sampled_from(["/quotes/{}/edit/", "/quotes/{}/history/", "/quotes/{}/stances/"]),
        pk(w.quote.pk, w.submitted_quote.pk),
    ).map(lambda t: t[0].format(t[1]))
    return Spec(("GET",), urls, {})


def spec_article_pages(w):
    urls = st.tuples(
        st.sampled_from(
            [
                "/articles/{}/",
                "/articles/{}/editor/",
                "/articles/{}/annotations.jsonld",
                "/articles/{}/suggestions/",
            ]
        ),
        pk(w.article.pk),
    ).map(lambda t: t[0].format(t[1]))
    return Spec(("GET",), urls, {})


def spec_suggestion_decide(w):
    urls = st.tuples(pk(w.suggestion.pk), path_segment(["accept", "dismiss"])).map(
        lambda t: f"/suggestions/{t[0]}/{t[1]}/"
    )
    return Spec(("POST",), urls, {})


def spec_accept_all(w):
    return Spec(
        ("POST",),
        pk(w.article.pk).map(lambda p: f"/articles/{p}/suggestions/accept-all/"),
        {"threshold": ["0.8", "0.5", "0", "1", "1.0000001", "-0.0"]},
    )


def spec_work_retry(w):
    return Spec(("POST",), pk(w.article.pk).map(lambda p: f"/articles/{p}/work/retry/"), {})


def spec_speaker_edit(w):
    ids = (w.person.pk, w.organization.pk)
    return Spec(
        ("GET", "POST"),
        pk(*ids).map(lambda p: f"/speakers/{p}/edit/"),
        {
            "name": [w.person.name, "Renamed"],
            "kind": ["person", "organization"],
            "role": [w.person.role],
            "affiliation": [w.organization.pk, w.person.pk, ""],
            "aliases": ["Alias one\nAlias two", "a\n" * 300],
        },
    )


def spec_speaker_merge(w):
    ids = (w.person.pk, w.other_person.pk, w.organization.pk)
    return Spec(
        ("POST",),
        pk(*ids).map(lambda p: f"/speakers/{p}/merge/"),
        {
            "duplicate": [
                speaker_label(w.other_person),
                speaker_label(w.person),
                w.organization.name,
            ]
        },
    )


def spec_source_edit(w):
    return Spec(
        ("GET", "POST"),
        pk(w.source.pk).map(lambda p: f"/sources/{p}/edit/"),
        {
            **{k: [v] for k, v in source_form_data(w.source).items()},
            "kind": ["interview", "other"],
            "url": URLS,
            "date": DATES,
        },
    )


def spec_options(w):
    urls = st.sampled_from(["/speakers/options/", "/sources/options/", "/claims/options/"])
    return Spec(
        ("GET",),
        urls,
        {
            "q": [w.person.name[:3], w.source.title[:4], w.claim.text[:5]],
            "speaker": ["Dil"],
            "new_speaker_affiliation": ["Coal"],
        },
    )


def spec_import(w):
    return Spec(
        ("POST",),
        st.just("/articles/import/"),
        {
            "text": ["Title\n\nThe mayor said “we will rebuild”.", w.article.body],
            "pasted_format": ["text", "html"],
            "title": ["A title", w.article.title],
            "outlet": ["Newsweek"],
            "url": [*URLS, w.article.url],
            "published": DATES,
            "byline": ["Staff"],
        },
        upload=True,
    )


@st.composite
def corrected_body(draw, body):
    """The article body with a random insertion or deletion somewhere."""
    at = draw(st.integers(min_value=0, max_value=len(body)))
    end = draw(st.integers(min_value=at, max_value=min(len(body), at + 400)))
    return body[:at] + draw(st.one_of(TEXT, st.sampled_from(TEXTS))) + body[end:]


def spec_article_edit(w):
    return Spec(
        ("GET", "POST"),
        pk(w.article.pk).map(lambda p: f"/articles/{p}/edit/"),
        {
            "title": [w.article.title, "Corrected title"],
            "body": st.one_of(
                st.sampled_from([w.article.body, w.article.body + "\n\nUpdate: corrected."]),
                corrected_body(w.article.body),
            ),
            "fingerprint": [w.article.fingerprint] * 3,
        },
    )


def spec_claim_create(w):
    return Spec(
        ("POST",),
        st.just("/claims/new/"),
        {"text": ["A new claim", w.claim.text, w.claim.text.upper()], "description": ["Why"]},
    )


def spec_claim_edit(w):
    return Spec(
        ("POST",),
        pk(w.claim.pk, w.other_claim.pk).map(lambda p: f"/claims/{p}/edit/"),
        {"text": [w.claim.text + "!", w.other_claim.text], "description": ["Why"]},
    )


def spec_stances(w):
    return Spec(
        ("GET", "POST"),
        pk(w.quote.pk, w.submitted_quote.pk).map(lambda p: f"/quotes/{p}/stances/"),
        {
            "claim": [claim_label(w.claim), w.claim.text, "A brand new claim"],
            "new_claim": ["on"],
            "position": ["affirms", "denies", "qualifies"],
            "note": ["because"],
        },
    )


def spec_claim_statements(w):
    return Spec(
        ("GET", "POST"),
        pk(w.claim.pk, w.other_claim.pk).map(lambda p: f"/claims/{p}/statements/"),
        {
            "q": ["Raqqa", "", "x" * 300],
            "row": [f"{w.quote.pk}:affirms", f"{w.quote.pk}:nonsense", "x:denies", ":"],
            "quote": [w.quote.pk, w.submitted_quote.pk, "999999999", "-1"],
            "position": ["affirms", "denies", "qualifies", "maybe"],
            "note": ["because", "x" * 3000],
            f"note-{w.quote.pk}": ["a note"],
        },
    )


def spec_stance_delete(w):
    return Spec(
        ("POST",), pk(w.stance.pk, w.submitted_stance.pk).map(lambda p: f"/stances/{p}/delete/")
    )


def spec_review_action(w):
    ids = (w.quote.pk, w.submitted_quote.pk, w.stance.pk, w.submitted_stance.pk)
    urls = st.tuples(
        path_segment(["quote", "stance"]), pk(*ids), path_segment(["submit", "approve", "reject"])
    ).map(lambda t: f"/review/{t[0]}/{t[1]}/{t[2]}/")
    return Spec(
        ("POST",),
        urls,
        {
            "reason": ["Wrong speaker."],
            f"reason_quote_{w.submitted_quote.pk}": ["Wrong speaker."],
            "next": ["/review/", "//evil.example", "https://evil.example/", "/board/"],
        },
    )


def spec_review_bulk(w):
    items = [
        f"quote:{w.submitted_quote.pk}",
        f"stance:{w.submitted_stance.pk}",
        f"quote:{w.quote.pk}",
        "quote:²",
        f"stance:{2**63}",
        "article:1",
    ]
    return Spec(
        ("POST",),
        st.just("/review/bulk/"),
        {"action": ["submit", "approve", "reject"], "item": items, "reason": ["Wrong speaker."]},
    )


def spec_review_queue(w):
    return Spec(("GET",), st.just("/review/"), {"quote_page": ["1", "2"], "stance_page": ["1"]})


def spec_search(w):
    return Spec(
        ("GET",),
        st.sampled_from(["/search/", "/search/live/"]),
        {
            "q": ["Raqqa", "Dilon", "ISIS fighters", "“deal”"],
            "kind": ["direct", "partial", "indirect"],
            "speaker": [w.person.pk],
            "organization": [w.organization.pk],
            "from": DATES,
            "to": DATES,
            "status": ["approved", "draft", "submitted"],
            **_page(),
        },
    )


def spec_board(w):
    return Spec(
        ("GET",),
        st.sampled_from(["/board/", "/board/matrix/", "/claims/"]),
        {
            "article": [w.article.pk],
            "speaker": [w.person.pk],
            "organization": [w.organization.pk],
            **_status_fields(w),
            **_page(),
        },
    )


def spec_compare(w):
    return Spec(
        ("GET",),
        st.sampled_from(["/board/compare/", "/board/compare.csv"]),
        {
            "left": [w.person.pk, w.organization.pk],
            "right": [w.organization.pk, w.person.pk],
            "left_name": [w.person.name, "CJTF-OIR", f"BBC (#{w.organization.pk})"],
            "right_name": ["BBC", w.organization.name, "Dillon"],
            "format": ["csv", "html"],
            **_status_fields(w),
            **_page(),
        },
    )


def spec_claim_and_timeline(w):
    urls = st.one_of(
        pk(w.claim.pk).map(lambda p: f"/claims/{p}/"),
        pk(w.person.pk, w.organization.pk).map(lambda p: f"/speakers/{p}/timeline/"),
    )
    return Spec(("GET",), urls, _status_fields(w))


def spec_lists(w):
    urls = st.one_of(
        st.sampled_from(["/articles/", "/speakers/", "/sources/"]),
        pk(w.person.pk, w.organization.pk).map(lambda p: f"/speakers/{p}/"),
        pk(w.source.pk).map(lambda p: f"/sources/{p}/"),
    )
    return Spec(("GET",), urls, _page("0", "-1", "99999"))


def spec_exports(w):
    urls = st.sampled_from(
        [
            "/exports/quotes.csv",
            "/exports/contradictions.csv",
            "/exports/claims.jsonld",
            f"/articles/{w.article.pk}/annotations.jsonld",
        ]
    )
    return Spec(("GET",), urls, {"article": [w.article.pk], **_status_fields(w)})


WEBHOOK_URLS = [*URLS, "http://127.0.0.1/", "http://[::1]:9/x", "https://example.org/" + "x" * 2100]
WEBHOOK_EVENTS = ["article.imported", "quote.approved", "contradiction.found", "ping", "nope"]


def spec_webhook_list(w):
    return Spec(
        ("GET", "POST"),
        st.just("/webhooks/"),
        {"url": WEBHOOK_URLS, "events": WEBHOOK_EVENTS, "description": ["CMS"], **_page()},
    )


def spec_webhook_endpoint(w):
    urls = st.tuples(
        st.sampled_from(["/webhooks/{}/", "/webhooks/{}/edit/", "/webhooks/{}/active/"]),
        pk(w.endpoint.pk),
    ).map(lambda t: t[0].format(t[1]))
    return Spec(
        ("GET", "POST"),
        urls,
        {
            "url": WEBHOOK_URLS,
            "events": WEBHOOK_EVENTS,
            "description": ["CMS"],
            "active": ["on", "off", "true"],
            **_page("0", "-1", "99999"),
        },
    )


def spec_webhook_actions(w):
    urls = st.one_of(
        st.tuples(st.sampled_from(["test", "delete"]), pk(w.endpoint.pk)).map(
            lambda t: f"/webhooks/{t[1]}/{t[0]}/"
        ),
        pk(w.failed_delivery.pk).map(lambda p: f"/webhooks/deliveries/{p}/redeliver/"),
    )
    return Spec(("POST",), urls, {})


def spec_login(w):
    return Spec(
        ("GET", "POST"),
        st.just("/accounts/login/"),
        {
            "username": ["sec-viewer", "sec-admin"],
            "password": ["correct horse battery", "wrong"],
            "next": ["/board/", "//evil.example", "https://evil.example/"],
        },
    )


def spec_api_tokens(w):
    return Spec(
        ("GET", "POST"),
        st.just("/settings/tokens/"),
        {"name": ["CMS sync", "Security check", "x" * 100, "x" * 101, " "]},
    )


def spec_api_token_revoke(w):
    ids = [token.pk for token in w.tokens.values()]
    return Spec(("GET", "POST"), pk(*ids).map(lambda p: f"/settings/tokens/{p}/revoke/"))


ENDPOINTS = {
    name.removeprefix("spec_"): fn for name, fn in globals().items() if name.startswith("spec_")
}

# --- bodies and the property -------------------------------------------------------------

ROLE_CHOICES = st.sampled_from([*ROLES, "editor", "reviewer", "admin"])
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "shift_jis"]


@st.composite
def upload(draw):
    name = draw(
        st.sampled_from(["article.txt", "article.html", "a.md", "a.exe", "noext", "a.TXT"])
        | TEXT.map(lambda t: (t or "f") + ".txt")
    )
    kind = draw(st.sampled_from(["bytes", "text", "big", "empty"]))
    if kind == "bytes":
        content = draw(st.binary(max_size=4000))
    elif kind == "text":
        text = draw(st.one_of(st.sampled_from(TEXTS), TEXT, HUGE))
        text = f"{draw(st.sampled_from(['Title', '', TEXTS[5]]))}\n\n{text} said “yes”."
        content = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    elif kind == "big":
        content = b"Title\n\n" + b"a" * (5 * 1024 * 1024 + 1)
    else:
        content = b""
    return SimpleUploadedFile(name, content)


def run(world, data, spec: Spec):
    role = data.draw(ROLE_CHOICES, label="role")
    method = data.draw(st.sampled_from(spec.methods), label="method")
    url = data.draw(spec.url, label="url")
    htmx = data.draw(st.booleans(), label="htmx")
    headers = {}
    if htmx and data.draw(st.booleans()):
        headers["HX-Target"] = data.draw(st.one_of(st.sampled_from(["speaker-options"]), TEXT))
    mode = data.draw(
        st.sampled_from(["form", "form", "form", "urlencoded", "raw", "json"]), label="body"
    )
    fields = data.draw(form(spec.fields), label="fields")
    kwargs = {"htmx": htmx, "headers": headers, "counter": "fuzz"}
    if mode == "raw":
        # Bytes that are not UTF-8 (what a browser sends for surrogates escaped by hand).
        chunks = data.draw(st.lists(st.binary(min_size=1, max_size=30), max_size=4))
        names = list(spec.fields) or ["q"]
        query = "&".join(
            f"{quote(names[i % len(names)])}={quote_from_bytes(chunk)}"
            for i, chunk in enumerate(chunks)
        )
        if method == "GET":
            outcome = send(world, role, method, f"{url}?{query}", None, **kwargs)
        else:
            outcome = send(world, role, method, url, raw_body=query.encode(), **kwargs)
    elif mode == "json" and method != "GET":
        body = json.dumps(fields).encode()
        outcome = send(
            world, role, method, url, raw_body=body, content_type="application/json", **kwargs
        )
    elif mode == "urlencoded" and method != "GET":
        outcome = send(
            world, role, method, url, raw_body=urlencode(fields, doseq=True).encode(), **kwargs
        )
    else:
        if spec.upload and method == "POST" and data.draw(st.booleans(), label="upload"):
            fields["file"] = data.draw(upload(), label="file")
        outcome = send(world, role, method, url, fields, **kwargs)
    assert outcome.status < 500, f"{method} {url} as {role}: {outcome.status} {outcome.error}"
    if 300 <= outcome.status < 400:
        target = urlsplit(outcome.location)
        assert target.netloc in ("", "testserver") and not outcome.location.startswith(
            ("//", "/\\")
        ), f"{method} {url} as {role} redirects off the site: {outcome.location}"
    if 400 <= outcome.status < 500 or outcome.to_login:
        assert outcome.changed == [], (
            f"{method} {url} as {role} was refused ({outcome.status}) but changed {outcome.changed}"
        )


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@FUZZ
@given(data=st.data())
def test_no_500_and_refusals_change_nothing(world, endpoint, data):
    run(world, data, ENDPOINTS[endpoint](world))
