"""Property-based fuzzing of the JSON API, through personal tokens.

For each operation hypothesis draws a role, hostile path ids, query values and JSON
bodies: fields of the wrong type, missing, unknown, nested, huge; bodies that are not an
object, not JSON, or not UTF-8; and wrong content types. Properties: never a 500; every
refusal is a problem document; a refused request leaves every domain table as it was.
"""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .support import ROLES, send
from .test_fuzz import FUZZ, HUGE, SCALAR, TEXT, pk

JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    TEXT,
    SCALAR,
    HUGE,
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def fields(valid: dict):
    """An object with each field valid, hostile or missing, and perhaps an unknown one."""
    strategies = {
        name: st.one_of(st.sampled_from(values), JSON_VALUE) if values else JSON_VALUE
        for name, values in valid.items()
    }
    return st.fixed_dictionaries({}, optional=strategies).flatmap(
        lambda d: st.dictionaries(TEXT, JSON_VALUE, max_size=1).map(lambda extra: {**extra, **d})
    )


def operations(w):
    """(method, path strategy, body or query fields) per operation."""
    article, quote, s = w.article, w.quote, w.suggestion
    span = {
        "text": [s.exact, quote.exact, "not in the text"],
        "start": [s.start, 0, -1, 2**63],
        "end": [s.end, len(article.body) + 1],
        "offsets": ["codepoints", "utf16", "bytes"],
        "prefix": [article.body[max(0, s.start - 20) : s.start]],
        "kind": ["direct", "partial", "indirect", "rumour"],
        "speaker_id": [w.person.pk, 2**63],
        "speaker": [w.person.name, "Nobody"],
        "new_speaker": [{"name": "New Person", "kind": "person"}, {"name": ""}],
        "source_id": [w.source.pk],
        "new_source": [{"title": "New source", "url": "javascript:alert(1)"}],
    }
    listing = {"cursor": ["MTA", "!!", ""], "limit": [1, 0, 201, "x"]}
    return {
        "import": (
            "POST",
            st.just("/api/v1/articles"),
            {
                "title": ["Fuzzed", article.title],
                "body": ["The mayor said “yes”.", article.body],
                "html": ["<p>x</p><script>alert(1)</script>"],
                "url": ["https://example.org/f", "javascript:alert(1)", article.url],
                "published": ["2017-02-30", "2017-11-14"],
                "outlet": ["Wire"],
                "byline": ["Staff"],
            },
        ),
        "correct": (
            "PUT",
            pk(article.pk).map(lambda p: f"/api/v1/articles/{p}/body"),
            {
                "body": [article.body + "\n\nCorrected.", ""],
                "title": ["Corrected"],
                "fingerprint": [article.fingerprint, "stale"],
            },
        ),
        "tag": ("POST", pk(article.pk).map(lambda p: f"/api/v1/articles/{p}/quotes"), span),
        "patch": (
            "PATCH",
            pk(quote.pk, w.other_quote.pk).map(lambda p: f"/api/v1/quotes/{p}"),
            {**span, "version": [quote.version, w.other_quote.version, 0]},
        ),
        "delete": (
            "DELETE",
            st.tuples(pk(quote.pk), st.sampled_from([quote.version, 0, "x", ""])).map(
                lambda t: f"/api/v1/quotes/{t[0]}?version={t[1]}"
            ),
            {},
        ),
        "review": (
            "POST",
            st.tuples(st.sampled_from(["quotes", "stances"]), pk(quote.pk, w.stance.pk)).map(
                lambda t: f"/api/v1/{t[0]}/{t[1]}/review"
            ),
            {"action": ["submit", "approve", "reject", "bless"], "reason": ["Wrong."]},
        ),
        "suggestion": (
            "POST",
            st.tuples(pk(s.pk), st.sampled_from(["accept", "dismiss"])).map(
                lambda t: f"/api/v1/suggestions/{t[0]}/{t[1]}"
            ),
            {},
        ),
        "speaker": (
            "POST",
            st.just("/api/v1/speakers"),
            {
                "name": [w.person.name, "Fuzz Person"],
                "kind": ["person", "organization", "x"],
                "affiliation_id": [w.organization.pk, w.person.pk],
                "aliases": [["A", "B"], "A"],
            },
        ),
        "source": (
            "POST",
            st.just("/api/v1/sources"),
            {
                "title": ["Fuzz source"],
                "kind": ["briefing", "x"],
                "url": ["ftp://x"],
                "date": ["2017-13-01"],
                "original_article_id": [article.pk, 0],
            },
        ),
        "claim": ("POST", st.just("/api/v1/claims"), {"text": [w.claim.text, "New"]}),
        "stance": (
            "POST",
            st.just("/api/v1/stances"),
            {
                "quote_id": [quote.pk],
                "claim_id": [w.claim.pk, w.other_claim.pk],
                "position": ["affirms", "denies", "maybe"],
                "note": ["Because."],
            },
        ),
        "quotes": (
            "GET",
            st.just("/api/v1/quotes"),
            {
                **listing,
                "article": [article.pk],
                "speaker": [w.person.pk],
                "kind": ["direct", "x"],
                "status": ["approved", "x"],
                "updated_since": ["2017-01-01T00:00:00", "yesterday"],
            },
        ),
        "contradictions": (
            "GET",
            st.just("/api/v1/contradictions"),
            {
                **listing,
                "claim": [w.claim.pk],
                "speaker": [w.person.pk],
                "article": [article.pk],
                "kind": ["internal", "x"],
                "status": ["approved", "all", "x"],
            },
        ),
        "lists": (
            "GET",
            st.sampled_from(
                [
                    "/api/v1/articles",
                    "/api/v1/speakers",
                    "/api/v1/sources",
                    "/api/v1/claims",
                    "/api/v1/stances",
                    "/api/v1/suggestions",
                ]
            ),
            {**listing, "q": ["Raqqa", ""], "article": [article.pk, "x"], "outlet": ["x"]},
        ),
    }


@pytest.fixture
def api_world(world):
    assert set(world.tokens) == set(world.users)  # one token per signed-in role
    return world


def test_every_operation_is_fuzzed(api_world):
    assert sorted(operations(api_world)) == sorted(OPERATIONS)


def _query(values: dict) -> str:
    flat = {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
    return urlencode(flat)


OPERATIONS = [
    "import", "correct", "tag", "patch", "delete", "review", "suggestion", "speaker",
    "source", "claim", "stance", "quotes", "contradictions", "lists",
]  # fmt: skip


@pytest.mark.parametrize("operation", OPERATIONS)
@FUZZ
@given(data=st.data())
def test_no_500_and_refusals_are_problems_that_change_nothing(api_world, operation, data):
    world = api_world
    method, paths, valid = operations(world)[operation]
    role = data.draw(st.sampled_from(ROLES), label="role")
    path = data.draw(paths, label="path")
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {world.bearer[role]}"
    drawn = data.draw(fields(valid), label="fields")
    if method == "GET":
        separator = "&" if "?" in path else "?"
        body, content_type = b"", "application/json"
        path = f"{path}{separator}{_query(drawn)}"
    else:
        mode = data.draw(st.sampled_from(["object", "object", "value", "bytes", "form"]))
        content_type = "application/json"
        if mode == "object":
            body = json.dumps(drawn).encode()
        elif mode == "value":
            body = json.dumps(data.draw(JSON_VALUE)).encode()
        elif mode == "bytes":
            body = data.draw(st.binary(max_size=200))
        else:
            body, content_type = _query(drawn).encode(), "application/x-www-form-urlencoded"
    outcome = send(
        world, "anonymous", method, path, raw_body=body, content_type=content_type,
        headers=headers, counter="api fuzz",
    )  # fmt: skip
    assert outcome.status < 500, f"{method} {path} as {role}: {outcome.status} {outcome.error}"
    if 400 <= outcome.status < 500:
        assert outcome.changed == [], f"{method} {path} as {role} refused but changed"
        assert outcome.content_type == "application/problem+json", (
            f"{method} {path} as {role}: {outcome.status} answered as {outcome.content_type}"
        )
