import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.articles.importing import Metadata, import_bytes
from apps.quotes.archive_trails import find_trails
from apps.quotes.models import Shingle
from apps.quotes.shingles import WINDOW, normalise, window_hash, windows, words
from apps.quotes.trails import TrailError, trail_for_quote, trail_for_span
from tests.conftest import make_article, make_quote

LINE = "Russia, if you're listening, I hope you're able to find the 30,000 emails that are missing"


def test_normalise_folds_case_punctuation_quotes_and_white_space():
    assert normalise("“Russia,  if YOU’RE\n listening!”") == "russia if you're listening"
    assert normalise("the 30,000 e-mails -- in the U.S.") == "the 30000 emails in the us"
    assert normalise("it’s ‘fine’ — isn't it?") == "it's fine isn't it"
    assert normalise("« Bonjour » , dit-elle\t\n ici") == "bonjour ditelle ici"
    assert normalise("...  ,, — !") == ""


def test_words_keep_their_offsets():
    text = "He said: “You’re fired.”"
    found = words(text)
    assert [w.norm for w in found] == ["he", "said", "you're", "fired"]
    assert [text[w.start : w.end] for w in found] == ["He", "said", "You’re", "fired"]


def test_window_hash_is_a_signed_64_bit_integer():
    h = window_hash(["a", "b", "c", "d", "e", "f"])
    assert -(2**63) <= h < 2**63
    assert h == window_hash(iter("abcdef"))
    assert h != window_hash(iter("abcdeg"))


def test_indexed_windows_hash_the_normalised_words():
    body = "“Søren’s İstanbul U.S. deal — 30,000 e-mails, ʼtis said,” he said. " * 3
    found = words(body)
    norms = [w.norm for w in found]
    expected = [
        (i, window_hash(norms[i : i + WINDOW]), found[i].start, found[i + WINDOW - 1].end)
        for i in range(len(found) - WINDOW + 1)
    ]
    assert list(windows(body)) == expected
    assert normalise(body[: body.index(" he")]) == "søren's istanbul us deal 30000 emails tis said"


@pytest.fixture
def three(db):
    """The same line in three articles, punctuation and case changed, published out of order."""
    first = make_article(
        f"At a press conference, Mr. Trump said: “{LINE}.” The campaign declined to comment.",
        title="Trump invites Russia",
        published=datetime.date(2016, 7, 27),
    )
    second = make_article(
        "Critics pointed to a remark from July.\n\n"
        "RUSSIA, IF YOU’RE LISTENING — I hope you’re able to find the 30000 emails that are "
        "missing, he had said. Democrats were furious.",
        title="Critics recall the remark",
        published=datetime.date(2016, 8, 2),
    )
    third = make_article(
        f'The candidate told reporters "{LINE.lower()}" and laughed. Nothing else matched.',
        title="Undated recap",
    )
    return first, second, third


def line_trail(trails):
    return next(t for t in trails if "russia if you're listening" in t.words)


def test_a_line_repeated_in_three_articles_is_one_trail(three):
    first, second, third = three
    trail = line_trail(find_trails())
    assert trail.words == normalise(LINE)
    assert [o.article for o in trail.occurrences] == [first.pk, second.pk, third.pk]
    for o in trail.occurrences:
        body = type(first).objects.get(pk=o.article).body
        assert body[o.start : o.end] == o.text
        assert normalise(o.text) == normalise(LINE)
        assert o.verbatim
    assert [o.quoted for o in trail.occurrences] == [True, False, True]
    assert trail.occurrences[0].text.startswith("Russia")
    assert trail.occurrences[0].text.endswith("missing")


def test_only_runs_of_min_words_make_a_trail(db):
    make_article("One two three four five six seven eight and then something else entirely.")
    make_article("Before it: one two three four five six, then nothing else in common at all.")
    assert [t.words for t in find_trails(6)] == ["one two three four five six"]
    assert find_trails(7) == []
    assert [t.words for t in find_trails()] == ["one two three four five six"]


def test_min_words_longer_than_the_window_needs_the_whole_run(db):
    shared = "alpha beta gamma delta epsilon zeta eta theta"
    make_article(f"{shared} first article tail words here.")
    make_article(f"Other opening. {shared} second article ending.")
    make_article("alpha beta gamma delta epsilon zeta only six of them here, no more.")
    eight = find_trails(8)
    assert [t.words for t in eight] == [shared]
    assert len(eight[0].occurrences) == 2
    assert find_trails(9) == []


def test_min_words_below_the_window_is_refused(db):
    with pytest.raises(TrailError, match=f"at least {WINDOW}"):
        find_trails(WINDOW - 1)


def test_the_index_is_written_on_import(db):
    article = import_bytes(
        f"Trump invites Russia\n\nMr. Trump said: “{LINE}.”".encode(), "a.txt", Metadata()
    )
    rows = list(Shingle.objects.filter(article_id=article.pk).order_by("ordinal"))
    assert len(rows) == len(words(article.body)) - WINDOW + 1
    assert [r.ordinal for r in rows] == list(range(len(rows)))
    first = rows[0]
    assert article.body[first.start : first.end] == "Mr. Trump said: “Russia, if you're"
    assert first.hash == window_hash(["mr", "trump", "said", "russia", "if", "you're"])


def test_a_correction_rebuilds_the_articles_index(three):
    first, second, third = three
    old_ids = set(Shingle.objects.filter(article_id=second.pk).values_list("pk", flat=True))
    second.body = "Critics pointed to a remark from July, but quoted none of it."
    second.save()
    assert not Shingle.objects.filter(pk__in=old_ids).exists()
    assert Shingle.objects.filter(article_id=second.pk).count() == len(words(second.body)) - 5
    trail = line_trail(find_trails())
    assert [o.article for o in trail.occurrences] == [first.pk, third.pk]


def test_a_save_that_leaves_the_body_alone_keeps_the_index(three):
    first = three[0]
    ids = set(Shingle.objects.filter(article_id=first.pk).values_list("pk", flat=True))
    first.title = "Retitled"
    first.save(update_fields=["title"])
    assert set(Shingle.objects.filter(article_id=first.pk).values_list("pk", flat=True)) == ids


def test_a_failing_index_never_blocks_an_import(db, monkeypatch):
    def broken(article):
        raise RuntimeError("index down")

    monkeypatch.setattr("apps.quotes.shingles.index_article", broken)
    article = make_article(f"He said “{LINE}”.")
    assert type(article).objects.filter(pk=article.pk).exists()
    assert not Shingle.objects.filter(article_id=article.pk).exists()


def test_a_quotes_trail(three):
    first, second, third = three
    start = first.body.index("Russia")
    quote = make_quote(first, start, start + len(LINE))
    trail = trail_for_quote(quote)
    assert trail.words == normalise(LINE)
    assert [o.article for o in trail.occurrences] == [first.pk, second.pk, third.pk]
    assert all(o.verbatim for o in trail.occurrences)
    # Part of the line: the other articles' occurrences are the matching part only.
    part = trail_for_span(first.pk, start, start + len("Russia, if you're listening, I hope"))
    assert part.words == "russia if you're listening i hope"
    assert [o.text for o in part.occurrences] == [
        "Russia, if you're listening, I hope",
        "RUSSIA, IF YOU’RE LISTENING — I hope",
        "russia, if you're listening, i hope",
    ]
    assert trail_for_span(first.pk, start, start + len("Russia, if you're")).occurrences == ()


def test_a_quotes_trail_costs_the_same_queries_however_big_the_archive(three):
    first = three[0]
    start = first.body.index("Russia")
    quote = make_quote(first, start, start + len(LINE))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            trail = trail_for_span(quote.article_id, quote.start, quote.end)
        return len(captured.captured_queries), trail.articles

    before, articles = queries()
    for n in range(12):
        make_article(f"Filler story {n} about something else entirely, with no shared words {n}.")
    make_article(f"Yet another outlet: “{LINE}”, he said.", title="Late")
    after, more = queries()
    assert before == after == 4  # windows, matches per hash, dates, bodies shown
    assert more == articles + 1


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("quote_trails", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_commands_json_contract(three):
    first = three[0]
    out, _ = run("--format", "json")
    data = json.loads(out)
    assert list(data) == ["trails"]
    assert data["trails"]
    bodies = {a.pk: a.body for a in type(first).objects.all()}
    for trail in data["trails"]:
        assert list(trail) == ["words", "occurrences"]
        assert isinstance(trail["words"], str) and trail["words"]
        assert len({o["article"] for o in trail["occurrences"]}) >= 2
        for o in trail["occurrences"]:
            # The contract's keys, in order; later keys may only be added after them.
            assert list(o)[:8] == [
                "article",
                "title",
                "published",
                "start",
                "end",
                "text",
                "quoted",
                "verbatim",
            ]
            assert isinstance(o["article"], int) and isinstance(o["title"], str)
            assert o["published"] is None or datetime.date.fromisoformat(o["published"])
            assert isinstance(o["start"], int) and isinstance(o["end"], int)
            assert isinstance(o["quoted"], bool) and isinstance(o["verbatim"], bool)
            assert bodies[o["article"]][o["start"] : o["end"]] == o["text"]
        dates = [o["published"] for o in trail["occurrences"]]
        assert dates == sorted(dates, key=lambda d: (d is None, d or ""))
    line = next(t for t in data["trails"] if t["words"] == normalise(LINE))
    assert [o["published"] for o in line["occurrences"]] == ["2016-07-27", "2016-08-02", None]


def test_the_command_prints_text_and_an_empty_list(db):
    assert json.loads(run()[0]) == {"trails": []}
    make_article(f"He said “{LINE}”.", title="One")
    make_article(f"She repeated: {LINE}.", title="Two")
    out, _ = run("--format", "text")
    assert "2 articles" in out and "#" in out and "1 trail(s)" in out
    assert len(json.loads(run("--quoted")[0])["trails"]) == 1


def test_the_command_refuses_too_few_words(db):
    with pytest.raises(CommandError, match="--min-words must be at least 6"):
        run("--min-words", "3")


def test_the_command_refusal_exits_non_zero_without_a_traceback(db):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "quote_trails", "--min-words", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "at least 6" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def shingle_schema():
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Shingle._meta.db_table)


def test_index_trails_rebuilds_every_article(three):
    before = shingle_schema()
    Shingle.objects.all().delete()
    out = StringIO()
    call_command("index_trails", "--no-progress", stdout=out, stderr=StringIO())
    assert "Indexed 3 article(s)" in out.getvalue()
    assert len(find_trails()) >= 1
    assert Shingle.objects.filter(article_id=three[0].pk).count() == len(words(three[0].body)) - 5
    # Indexes and constraints are all there again (PostgreSQL drops them while loading).
    after = shingle_schema()
    assert after == before
    assert after["shingle_hash"]["columns"] == ["hash"]
    assert after["shingle_one_per_word"]["unique"]
    assert any(c["foreign_key"] == ("articles_article", "id") for c in after.values())


def test_index_trails_replaces_stale_windows(three):
    first = three[0]
    Shingle.objects.filter(article_id=first.pk).update(hash=1)
    Shingle.objects.create(article_id=first.pk, hash=2, ordinal=10_000, start=0, end=1)
    call_command("index_trails", "--no-progress", stdout=StringIO(), stderr=StringIO())
    stored = list(Shingle.objects.filter(article_id=first.pk).order_by("ordinal"))
    assert [(s.ordinal, s.hash, s.start, s.end) for s in stored] == list(windows(first.body))
    assert Shingle.objects.count() == sum(len(words(a.body)) - 5 for a in three)


def test_a_common_phrase_does_not_chain_different_passages_into_one_trail(db):
    phrase = "former secretary of state hillary clinton"
    make_article(f"Zebra yak walrus vole umber tern said {phrase} on Monday.")
    make_article(f"Quartz pearl onyx mica lapis jade said {phrase} at noon.")
    make_article(f"Zebra yak walrus vole umber tern ran for office; {phrase} spoke.")
    make_article(f"Quartz pearl onyx mica lapis jade glowed; {phrase} slept.")
    found = sorted((t.words, t.articles) for t in find_trails())
    assert found == [
        (phrase, 4),
        ("quartz pearl onyx mica lapis jade", 2),
        ("zebra yak walrus vole umber tern", 2),
    ]


def test_a_fringe_shared_by_fewer_articles_is_not_a_trail_of_its_own(db):
    make_article(f"At the rally: “{LINE},” Trump said, and the crowd roared.")
    make_article(f"Quoting him again: “{LINE},” Trump said on Wednesday.")
    make_article(f"The line “{LINE}” was everywhere.")
    trails = find_trails()
    assert [(t.words, t.articles) for t in trails] == [(normalise(LINE), 3)]


STATEMENT = "We will rebuild every bridge in the valley before the winter floods arrive next year"


def statement_trail(article, **kwargs):
    start = article.body.index("We will")
    return trail_for_span(article.pk, start, start + len(STATEMENT), **kwargs)


def test_one_changed_word_is_one_near_verbatim_occurrence(db):
    first = make_article(
        f"The governor said: “{STATEMENT}.” Engineers doubted it.",
        published=datetime.date(2024, 3, 1),
        outlet="Valley Post",
    )
    changed = STATEMENT.replace("every bridge", "each bridge")
    second = make_article(
        f"“{changed.upper()}!” the governor told a rally on Friday.",
        published=datetime.date(2024, 3, 4),
        outlet="Daily Ledger",
    )
    added = STATEMENT.replace("the winter floods", "the cold winter floods")
    dropped = STATEMENT.replace("in the valley ", "in valley ")
    third = make_article(f"Again: {added}, and {dropped} too.", published=datetime.date(2024, 3, 9))
    unrelated = make_article("We will rebuild every bridge, he said, but nothing about winter.")

    trail = statement_trail(first)
    assert [o.article for o in trail.occurrences] == [first.pk, second.pk, third.pk, third.pk]
    own, near, with_added, with_dropped = trail.occurrences
    assert own.verbatim and own.match == "verbatim"
    assert not near.verbatim and near.near and near.match == "near"
    # Joined into one occurrence across the changed word, not two pieces.
    assert near.text == changed.upper()
    assert with_added.near and "cold winter floods arrive next year" in with_added.text
    assert with_dropped.near and with_dropped.text == dropped
    assert unrelated.pk not in {o.article for o in trail.occurrences}
    assert trail.first.outlet == "Valley Post"


def test_a_run_of_a_few_words_only_is_a_partial_occurrence(db):
    first = make_article(f"The governor said: “{STATEMENT}.”")
    make_article("Critics mocked the promise to rebuild every bridge in the valley, again.")
    trail = statement_trail(first)
    partial = trail.occurrences[1]
    assert partial.text == "rebuild every bridge in the valley"
    assert partial.match == "partial" and not partial.near


BOILERPLATE = "said in a statement on monday"


def test_a_stock_phrase_in_many_articles_is_no_lead_and_costs_the_same(db, monkeypatch):
    monkeypatch.setattr("apps.quotes.shingles.COMMON", 3)
    line = f"the harbour will stay closed to tankers until spring, the mayor {BOILERPLATE}"
    quoted = make_article(f"Reporters heard that {line}.", published=datetime.date(2024, 1, 1))
    repeat = make_article(f"As before, {line.upper()}.", published=datetime.date(2024, 1, 2))
    start = quoted.body.index("the harbour")

    def measured():
        with CaptureQueriesContext(connection) as captured:
            trail = trail_for_span(quoted.pk, start, start + len(line))
        return trail, captured.captured_queries

    few, few_queries = measured()
    assert [o.article for o in few.occurrences] == [quoted.pk, repeat.pk]
    for n in range(8):  # the stock phrase spreads; none of these repeats the line
        make_article(f"Officer number {n} of the port {BOILERPLATE} about other things.")
    many, many_queries = measured()
    assert [o.article for o in many.occurrences] == [quoted.pk, repeat.pk]
    # The repeat runs on through the stock phrase: it is the whole line, verbatim.
    assert all(o.verbatim for o in many.occurrences)
    assert many.occurrences[1].text.endswith("ON MONDAY")
    assert len(many_queries) == 5  # one more: the stock phrase's windows near the finds
    assert len(few_queries) == 4
    # Each hash reads at most COMMON + 1 rows, whatever the number of articles.
    assert not many.common


def test_a_span_made_only_of_a_stock_phrase_has_no_trail_beyond_itself(db, monkeypatch):
    monkeypatch.setattr("apps.quotes.shingles.COMMON", 3)
    articles = [make_article(f"Story {n}: the minister {BOILERPLATE}.") for n in range(6)]
    start = articles[0].body.index(BOILERPLATE)
    trail = trail_for_span(articles[0].pk, start, start + len(BOILERPLATE))
    assert trail.common
    assert [o.article for o in trail.occurrences] == [articles[0].pk]


def test_matches_per_hash_are_bounded(db, monkeypatch):
    from apps.quotes import shingles

    monkeypatch.setattr(shingles, "COMMON", 3)
    for n in range(7):
        make_article(f"Story {n}: the minister {BOILERPLATE}.")
    h = window_hash(BOILERPLATE.split())
    found = shingles.matches_per_hash([h, window_hash(list("abcdef"))])
    assert len(found[h]) == 4
    assert list(found) == [h]


def test_only_the_first_occurrences_are_listed_with_the_total(db):
    articles = [
        make_article(f"Take {n}: “{STATEMENT}.”", published=datetime.date(2024, 5, 10 - n))
        for n in range(5)
    ]
    trail = statement_trail(articles[0], shown=2)
    assert trail.articles == 5 and trail.total == 5
    assert [o.article for o in trail.occurrences] == [articles[4].pk, articles[3].pk]
    assert trail.first.published == datetime.date(2024, 5, 6)


def test_a_corrected_articles_trail_changes(db, editor):
    from apps.quotes.correction import correct_body

    first = make_article(f"The governor said: “{STATEMENT}.”")
    second = make_article(f"Others repeated it: {STATEMENT}.")
    assert [o.article for o in statement_trail(first).occurrences] == [first.pk, second.pk]
    correct_body(second.pk, second.fingerprint, second.title, "Others said nothing of the kind.")
    assert [o.article for o in statement_trail(first).occurrences] == [first.pk]
    third = import_bytes(
        f"Late story\n\nA rally heard it: “{STATEMENT}”".encode(), "late.txt", Metadata()
    )
    assert [o.article for o in statement_trail(first).occurrences] == [first.pk, third.pk]


def test_a_kept_trail_is_read_back_until_an_article_text_changes(three):
    first = three[0]
    quote = make_quote(first, first.body.index("Russia"), first.body.index(".”"))
    assert trail_for_quote(quote).articles == 3
    with CaptureQueriesContext(connection) as read_back:
        assert trail_for_quote(quote).articles == 3
    assert len(read_back.captured_queries) == 1  # the `trails` counter; the rest is kept
    # A new article repeating the line joins the trail at once.
    make_article(f"Years later, the words “{LINE}” still echoed.", title="Echoes")
    assert trail_for_quote(quote).articles == 4
    # So does a rebuild of the whole index (here: the line's windows lost and found again).
    Shingle.objects.exclude(article_id=first.pk).delete()
    assert trail_for_quote(quote).articles == 4  # nothing saved a body: still the kept trail
    call_command("index_trails", "--no-progress", stdout=StringIO(), stderr=StringIO())
    assert trail_for_quote(quote).articles == 4
    Shingle.objects.exclude(article_id=first.pk).delete()
    call_command("index_trails", "--no-progress", stdout=StringIO(), stderr=StringIO())
    with CaptureQueriesContext(connection) as after_rebuild:
        assert trail_for_quote(quote).articles == 4
    assert len(after_rebuild.captured_queries) > 1  # drawn again from the rebuilt index
