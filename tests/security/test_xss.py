"""Hostile markup through every input, read back on every page that shows it.

The corpus (`xss_payloads.txt`) goes in through the real views as an editor and
a reviewer: imported articles (.txt upload, pasted and uploaded HTML, the
import command), titles, outlets, bylines, speaker names, roles and aliases,
source titles, publishers and URLs, quote notes and cues, claims, stance notes,
rejection reasons, and the search box. Each payload is packed with others into
"chunks" that fit the shortest field (200 characters), so a page shows many
payloads at once and the browser run stays short.

The test-client checks read the HTML the server sends: no payload containing
markup characters survives unescaped anywhere. The browser checks (Chromium)
load each page, hover and open what a reader would, let htmx settle and then
assert that nothing ran: no `window.__xss`, no dialog, no request under
/xss-hit/ or to another origin, and no element or attribute from user content
live in the DOM (event handlers, javascript: URLs, hx-*/data-hx-*, embedded
frames and media).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse
from django.utils.html import escape

from apps.articles.models import Article
from apps.claims.forms import claim_label
from apps.claims.models import Claim, Stance
from apps.quotes.models import Quote
from apps.sources.lookup import source_label, speaker_label
from apps.sources.models import Source, Speaker, SpeakerAlias
from tests.conftest import make_user

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
PAYLOADS = [
    line
    for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("# ")
]
CHUNK_CHARS = 200  # the shortest text field a payload goes into (speaker name, alias, publisher)
MARKUP = re.compile(r"[<>\"'&]")
# URLs that try to break out of an href; each must be stored and shown escaped.
BREAKOUT_URLS = (
    'https://example.com/{n}/"><script>window.__xss=1</script>',
    "https://example.com/{n}/?q='-alert(1)-'&x=\"onmouseover=window.__xss=1",
    "https://example.com/{n}/<img/src=x/onerror=window.__xss=1>",
)
# URLs with a scheme that runs script: every URL field must refuse them.
DANGEROUS_URLS = (
    "javascript:window.__xss=1",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://example.com/%0Aalert(1)",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
)
# Inputs every payload goes through (URL fields are counted apart: most payloads are not URLs).
TEXT_INPUTS = (
    "article title (.txt upload)",
    "article outlet",
    "article byline",
    "article body (.txt upload)",
    "article body (pasted HTML)",
    "article body (uploaded HTML)",
    "article body (import_article command, HTML)",
    "HTML <title>",
    "speaker name",
    "speaker role",
    "speaker alias",
    "source title",
    "source publisher",
    "quote note",
    "quote cue",
    "claim text",
    "claim description",
    "stance note",
    "review rejection reason",
    "search box (results page)",
    "search box (live results)",
    "tag form text (refused, echoed)",
    "merge form (refused, echoed)",
)


def chunked(payloads: list[str], limit: int = CHUNK_CHARS) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for payload in payloads:
        assert len(payload) <= limit, f"payload longer than {limit} characters: {payload!r}"
        if chunks[-1] and len(" ".join([*chunks[-1], payload]).strip()) > limit:
            chunks.append([])
        chunks[-1].append(payload)
    return chunks


CHUNKS = chunked(PAYLOADS)


def joined(chunk: list[str]) -> str:
    return " ".join(chunk).strip()


@dataclass
class Corpus:
    editor: Client
    reviewer: Client
    articles: list[Article] = field(default_factory=list)
    html_articles: list[Article] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    refused_urls: int = 0


def _expect(response, status: int, what: str):
    assert response.status_code == status, (
        f"{what}: expected {status}, got {response.status_code}: "
        f"{response.content[:600].decode(errors='replace')}"
    )
    return response


def _redirect_pk(response) -> int:
    return resolve(urlparse(response["Location"]).path).kwargs["pk"]


def _html_document(title: str) -> str:
    raw = "\n".join(f"<p>{p}</p>" for p in PAYLOADS)
    loose = "\n".join(PAYLOADS)  # outside any paragraph, as a careless page would have it
    head = "".join(p for p in PAYLOADS if p.startswith(("<meta", "<base", "<link", "<style")))
    return (
        f"<html><head><title>{title} {PAYLOADS[0]}</title>{head}</head>"
        f"<body><h1>{title}</h1>\n{raw}\n<div>{loose}</div></body></html>"
    )


def build_corpus(tmp_path: Path) -> Corpus:
    """Every input of Quotetrail filled with the corpus, through the views a person uses."""
    editor_user = make_user("edna", "editor")
    reviewer_user = make_user("rui", "reviewer")
    editor, reviewer = Client(), Client()
    editor.force_login(editor_user)
    reviewer.force_login(reviewer_user)
    corpus = Corpus(editor=editor, reviewer=reviewer)

    for i, chunk in enumerate(CHUNKS):
        text = joined(chunk)
        # An article per chunk: the chunk is its title, outlet, byline and first paragraph;
        # the second paragraph puts a payload inside quotation marks for the extractor.
        upload = SimpleUploadedFile(
            f"xss-{i}.txt",
            f"{text}\n\n{text}\n\nA spokesman said “{chunk[0]}” on Monday.\n".encode(),
            content_type="text/plain",
        )
        response = editor.post(
            reverse("articles:import"),
            {
                "file": upload,
                "outlet": text,
                "byline": text,
                "url": BREAKOUT_URLS[i % len(BREAKOUT_URLS)].format(n=i),
            },
        )
        article = Article.objects.get(pk=_redirect_pk(_expect(response, 302, f"import {i}")))
        assert article.title == text and text in article.body
        corpus.articles.append(article)

        start = article.body.index(text)
        org = corpus.speakers[0] if corpus.speakers else None
        response = editor.post(
            reverse("quotes:create", args=[article.pk]),
            {
                "text": text,
                "start": start,
                "end": start + len(text),
                "offsets": "codepoints",
                "kind": "direct",
                "speaker": text,
                "new_speaker": "on",
                "new_speaker_kind": "person" if org else "organization",
                "new_speaker_role": text,
                "new_speaker_affiliation": speaker_label(org) if org else "",
                "source": text,
                "new_source": "on",
                "new_source_kind": "interview",
                "new_source_publisher": text,
                "cue": text[:100],
                "note": text,
            },
        )
        _expect(response, 302, f"tag quote {i}")
        quote = Quote.objects.select_related("speaker", "source").get(article=article)
        speaker, source = quote.speaker, quote.source
        assert (speaker.name, speaker.role, source.title, source.publisher, quote.note) == (
            text,
            text,
            text,
            text,
            text,
        )

        response = editor.post(
            reverse("sources:speaker_edit", args=[speaker.pk]),
            {
                "name": text,
                "kind": speaker.kind,
                "role": text,
                "affiliation": org.pk if org else "",
                "aliases": "\n".join(chunk),
            },
        )
        _expect(response, 302, f"speaker aliases {i}")
        response = editor.post(
            reverse("sources:source_edit", args=[source.pk]),
            {
                "title": text,
                "kind": "interview",
                "publisher": text,
                "url": BREAKOUT_URLS[(i + 1) % len(BREAKOUT_URLS)].format(n=i),
                "date": "2017-11-14",
            },
        )
        _expect(response, 302, f"source url {i}")

        # A second save, so the history shows a change of note and cue.
        quote.refresh_from_db()
        response = editor.post(
            reverse("quotes:update", args=[quote.pk]),
            {
                "text": text,
                "start": quote.start,
                "end": quote.end,
                "offsets": "codepoints",
                "kind": "partial",
                "speaker": speaker_label(speaker),
                "source": source_label(source),
                "cue": chunk[-1][:100],
                "note": f"Checked again: {text}",
                "version": quote.version,
            },
        )
        _expect(response, 302, f"edit quote {i}")
        quote.refresh_from_db()

        response = reviewer.post(
            reverse("claims:claim_create"), {"text": text, "description": text}
        )
        claim = Claim.objects.get(pk=_redirect_pk(_expect(response, 302, f"claim {i}")))

        corpus.quotes.append(quote)
        corpus.speakers.append(Speaker.objects.get(pk=speaker.pk))
        corpus.sources.append(Source.objects.get(pk=source.pk))
        corpus.claims.append(claim)

    n = len(CHUNKS)
    for i, chunk in enumerate(CHUNKS):
        text = joined(chunk)
        claim = corpus.claims[i]
        # Each claim is affirmed by its own quote and denied by the next: contradictions.
        for quote, position in (
            (corpus.quotes[i], "affirms"),
            (corpus.quotes[(i + 1) % n], "denies"),
        ):
            response = editor.post(
                reverse("claims:quote_stances", args=[quote.pk]),
                {"claim": claim_label(claim), "position": position, "note": text},
            )
            _expect(response, 302, f"stance {i} {position}")
    for i, chunk in enumerate(CHUNKS):
        text = joined(chunk)
        stance = Stance.objects.get(quote=corpus.quotes[i], claim=corpus.claims[i])
        for kind, pk in (("quote", corpus.quotes[i].pk), ("stance", stance.pk)):
            url = reverse("claims:review_action", args=[kind, pk, "submit"])
            _expect(editor.post(url), 302, f"submit {kind} {i}")
            if i % 3 == 0:
                url = reverse("claims:review_action", args=[kind, pk, "reject"])
                _expect(reviewer.post(url, {"reason": text}), 302, f"reject {kind} {i}")
            elif i % 3 == 1:
                url = reverse("claims:review_action", args=[kind, pk, "approve"])
                _expect(reviewer.post(url), 302, f"approve {kind} {i}")
    for quote in corpus.quotes:
        quote.refresh_from_db()

    # HTML, three ways in: pasted, uploaded, and the command line.
    response = editor.post(
        reverse("articles:import"),
        {"text": _html_document("Pasted HTML"), "pasted_format": "html"},
    )
    corpus.html_articles.append(
        Article.objects.get(pk=_redirect_pk(_expect(response, 302, "paste HTML")))
    )
    upload = SimpleUploadedFile(
        "xss.html", _html_document("Uploaded HTML").encode(), content_type="text/html"
    )
    response = editor.post(reverse("articles:import"), {"file": upload})
    corpus.html_articles.append(
        Article.objects.get(pk=_redirect_pk(_expect(response, 302, "upload HTML")))
    )
    path = tmp_path / "xss-command.html"
    path.write_text(_html_document("Command line HTML"), encoding="utf-8")
    call_command("import_article", str(path), "--byline", PAYLOADS[0], stdout=_Sink())
    corpus.html_articles.append(Article.objects.order_by("-pk").first())
    assert len({a.pk for a in corpus.html_articles}) == 3

    # URL fields refuse every scheme that runs script, and nothing is written.
    source = corpus.sources[0]
    before = Source.objects.get(pk=source.pk).url
    for url in DANGEROUS_URLS:
        response = editor.post(
            reverse("sources:source_edit", args=[source.pk]),
            {"title": source.title, "kind": source.kind, "publisher": "", "url": url, "date": ""},
        )
        _expect(response, 400, f"source URL {url!r}")
        assert b"Enter a valid URL." in response.content
        response = editor.post(
            reverse("articles:import"),
            {"text": f"Title {url}\n\nBody.", "url": url},
        )
        _expect(response, 400, f"article URL {url!r}")
        corpus.refused_urls += 2
    assert Source.objects.get(pk=source.pk).url == before
    assert not Article.objects.filter(title__startswith="Title ").exists()
    return corpus


class _Sink:
    def write(self, *_):
        pass

    def flush(self):
        pass


def pages(corpus: Corpus) -> list[tuple[str, str]]:
    """(who, URL) of every page that shows user content, as editor and reviewer."""
    urls = [
        reverse("articles:list"),
        reverse("sources:speakers"),
        reverse("sources:sources"),
        reverse("claims:board"),
        reverse("claims:board") + "?status=drafts",
        reverse("claims:matrix"),
        reverse("claims:claims"),
        reverse("quotes:search") + "?q=window",
        reverse("quotes:search") + "?q=xss",
        reverse("quotes:search_live") + "?q=window",
    ]
    for article in corpus.articles + corpus.html_articles:
        urls.append(article.get_absolute_url())
    for quote in corpus.quotes:
        urls += [
            reverse("quotes:edit", args=[quote.pk]),
            reverse("quotes:history", args=[quote.pk]),
            reverse("claims:quote_stances", args=[quote.pk]),
        ]
    for speaker in corpus.speakers:
        urls += [speaker.get_absolute_url(), reverse("claims:speaker_timeline", args=[speaker.pk])]
    urls += [reverse("sources:source", args=[s.pk]) for s in corpus.sources]
    for left, right in zip(corpus.speakers, corpus.speakers[1:], strict=False):
        urls.append(reverse("claims:compare") + "?" + _query(left=left.pk, right=right.pk))
    urls += [c.get_absolute_url() for c in corpus.claims]
    for chunk in CHUNKS:
        text = joined(chunk)
        urls += [
            reverse("quotes:search") + "?" + _query(q=text),
            reverse("quotes:search_live") + "?" + _query(q=text),
            reverse("sources:speaker_options") + "?" + _query(q=chunk[0]),
            reverse("sources:source_options") + "?" + _query(q=chunk[0]),
            reverse("claims:claim_options") + "?" + _query(q=chunk[0]),
        ]
    return [("editor", u) for u in urls] + [
        ("reviewer", reverse("claims:review")),
        ("editor", reverse("claims:review")),
        ("reviewer", reverse("claims:board")),
    ]


def _query(**params) -> str:
    return urlencode(params)


# Payloads that escaping changes. One already written as escaped text (`&lt;script&gt;`)
# is what an HTML import of it correctly shows, so it is not looked for verbatim.
CHANGED_BY_ESCAPING = [
    p for p in PAYLOADS if MARKUP.search(p) and p != escape(html_lib.unescape(p))
]


def unescaped(html: str) -> list[str]:
    """Payloads with markup characters that appear verbatim in the HTML (must be none)."""
    return [p for p in CHANGED_BY_ESCAPING if p in html]


@pytest.mark.django_db
def test_every_input_keeps_what_was_typed_and_every_page_sends_it_escaped(tmp_path):
    """Escaping happens on output: the data keeps what the person typed, every page sends
    it escaped (refusals that echo input included), template syntax stays text, and the
    CSV and JSON-LD exports carry it as attachments a browser will not render."""
    corpus = build_corpus(tmp_path)
    for i, chunk in enumerate(CHUNKS):
        text = joined(chunk)
        quote = corpus.quotes[i]
        assert quote.note == f"Checked again: {text}"
        assert quote.exact == text
        aliases = SpeakerAlias.objects.filter(speaker=corpus.speakers[i])
        assert set(aliases.values_list("alias", flat=True)) == {" ".join(p.split()) for p in chunk}
        assert corpus.claims[i].text == text
        assert Stance.objects.filter(claim=corpus.claims[i], note=text).count() == 2
        if i % 3 == 0:
            assert quote.status == "rejected" and quote.review_reason == text
    assert corpus.refused_urls == 2 * len(DANGEROUS_URLS)
    clients = {"editor": corpus.editor, "reviewer": corpus.reviewer}
    problems, checked = [], 0
    for who, url in pages(corpus):
        response = clients[who].get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        checked += 1
        problems += [(url, p) for p in unescaped(html)]
    # Reflected input: refusals echo what was typed, escaped.
    article = corpus.articles[0]
    for chunk in CHUNKS:
        text = joined(chunk)
        response = corpus.editor.get(
            reverse("quotes:new", args=[article.pk]) + "?" + _query(text="No such words " + text)
        )
        assert response.status_code == 400
        problems += [("tag form", p) for p in unescaped(response.content.decode())]
        response = corpus.editor.post(
            reverse("sources:speaker_merge", args=[corpus.speakers[0].pk]),
            {"duplicate": "Nobody " + text},
        )
        assert response.status_code == 400
        assert "No speaker called" in response.content.decode()
        problems += [("merge form", p) for p in unescaped(response.content.decode())]
        response = corpus.editor.get(
            reverse("claims:compare") + "?" + _query(left_name="Nobody " + text, right_name=text)
        )
        assert response.status_code == 400
        problems += [("comparison pickers", p) for p in unescaped(response.content.decode())]
    assert not problems, f"{len(problems)} payload(s) sent unescaped: {problems[:10]}"
    assert checked > 100
    # Template syntax typed by a user is text, never evaluated.
    page = corpus.editor.get(corpus.articles[_chunk_of("{{ 7|add:7 }}")].get_absolute_url())
    assert "{{ 7|add:7 }}{{ request.user.password }}xss45" in page.content.decode()
    assert "{% debug %}{% csrf_token %}xss46" in page.content.decode()
    urls = [
        reverse("quotes:quotes_csv"),
        reverse("claims:contradictions_csv"),
        reverse("claims:claims_jsonld"),
        reverse("quotes:article_annotations", args=[corpus.articles[0].pk]),
        reverse("claims:compare_csv")
        + "?"
        + _query(left=corpus.speakers[0].pk, right=corpus.speakers[1].pk),
    ]
    for url in urls:
        response = corpus.reviewer.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert "html" not in response["Content-Type"], url
        assert response["X-Content-Type-Options"] == "nosniff", url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"window.__xss" in body, url  # the data is there, as data


def _chunk_of(prefix: str) -> int:
    return next(i for i, chunk in enumerate(CHUNKS) if any(p.startswith(prefix) for p in chunk))
