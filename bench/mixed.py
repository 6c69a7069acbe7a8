"""The benchmark's mixed phase: readers while taggers save (bench/run.py runs it last).

Readers (`--clients` of them, closed loop) cycle through the board, the most quoted
speaker's page, a search, the 200-quote article and a quote's trail, each starting at a
different page. Meanwhile taggers save at a steady rate (`--mixed-saves-per-second`), open
loop: save i is due at i / rate seconds whatever the earlier saves are doing, and
its latency counts from that moment, so a server that falls behind shows it instead
of being sent fewer saves. Each save is a tag POST that creates a quote, sent as the
browser sends it (htmx), and the size of the answer is kept.

The saves go where a newsroom's go, one after the other: the 200-quote article
(attributed to the most quoted speaker), an article whose quotes carry stances
(attributed to the speaker of one of them), an article anywhere in the archive, and
another attributed to the most quoted speaker; each on a passage of 3 to 6 words no
quote covers yet. So the article page, the speaker page and the board being read
have really changed beneath them. Every quote the benchmark account saves is deleted
before and after a run (bench/run.py's SETUP and FORGET).
"""

import itertools
import random
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass

from load import Client, Samples, drive, summary

PAGES = ("board", "speaker", "search", "article_200", "trail")
ROLES = ("article_200", "stances", "archive", "speaker")  # where saves go, in turn
TAGGERS = 4  # threads sending the paced saves: a slow save does not hold the next back
ANSWER_BUDGET = 10 * 1024
TARGETS = {  # (label, value, against, limit): value / against's p50, or bytes if against is None
    **{page: [("p50", "p50_ms", "healthz", 5), ("p99", "p99_ms", "healthz", 25)] for page in PAGES},
    "trail": [("p50", "p50_ms", "healthz", 5)],
    "tag_save": [
        ("p50", "p50_ms", "healthz", 3),
        ("answer", "answer_bytes_max", None, ANSWER_BUDGET),
    ],
}

# Where the saves go: `per_role` archive articles of each kind, with their text and the
# spans already tagged, so each save can pick a passage nobody has tagged.
SCRIPT = """
import json, random
from django.db.models import Max
from apps.articles.models import Article
from apps.claims.models import Stance
from apps.quotes.models import Quote
from apps.sources.models import Speaker
rng = random.Random(%(seed)d)
n = %(per_role)d
top = Speaker.objects.get(pk=%(speaker)d)
archive = Article.objects.exclude(title__startswith="Benchmark")
picked = list(archive.order_by("?").values_list("pk", flat=True)[: 2 * n])
chosen = [("article_200", %(a200)d, top.pk)]
chosen += [("archive", pk, None) for pk in picked[:n]]
chosen += [("speaker", pk, top.pk) for pk in picked[n:]]
stanced = Stance.objects.filter(quote__speaker__isnull=False, quote__article__in=archive)
last = stanced.aggregate(last=Max("pk"))["last"] or 0
seen = set()
for _ in range(20 * n):  # random stances, found by id, on n different articles
    pair = stanced.filter(pk__gte=rng.randint(0, last)).order_by("pk").values_list(
        "quote__article_id", "quote__speaker_id").first()
    if pair and pair[0] not in seen:
        seen.add(pair[0])
        chosen.append(("stances", *pair))
    if len(seen) >= n:
        break
ids = {article for _, article, _ in chosen}
bodies = dict(Article.objects.filter(pk__in=ids).values_list("pk", "body"))
spans = {pk: [] for pk in ids}
for article, start, end in Quote.objects.filter(article__in=ids, orphaned=False).values_list(
        "article_id", "start", "end"):
    spans[article].append((start, end))
names = dict(Speaker.objects.filter(pk__in={s for *_, s in chosen if s}).values_list("pk", "name"))
print("BENCH " + json.dumps({"targets": [
    {"role": role, "article": article, "body": bodies[article], "spans": spans[article],
     "speaker": f"{names[speaker]} (#{speaker})" if speaker else ""}
    for role, article, speaker in chosen
]}))
"""


@dataclass
class Save:
    """One tag POST: a passage of an article, attributed or not."""

    role: str
    article: int
    start: int
    end: int
    text: str
    speaker: str = ""

    def request(self) -> tuple[str, str, str, dict]:
        fields = {"text": self.text, "start": self.start, "end": self.end, "kind": "indirect"}
        if self.speaker:
            fields["speaker"] = self.speaker
        headers = {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
        return "POST", f"/articles/{self.article}/quotes/", urllib.parse.urlencode(fields), headers


def choose_span(body: str, taken: list[tuple[int, int]], rng: random.Random) -> tuple[int, int]:
    """A passage of 3 to 6 whole words that no span in `taken` touches, as a tagger would
    select it; if none is left, any such passage that is not exactly a taken span."""
    covered = bytearray(len(body))
    for start, end in taken:
        covered[start:end] = b"\x01" * (end - start)
    words = [match.span() for match in re.finditer(r"\S+", body)]
    if not words:
        raise ValueError("This article has no words to tag.")
    length = min(len(words), rng.randint(3, 6))
    runs = [(words[i][0], words[i + length - 1][1]) for i in range(len(words) - length + 1)]
    free = [(start, end) for start, end in runs if covered.find(1, start, end) == -1]
    exact = set(taken)
    candidates = free or [run for run in runs if run not in exact]
    if not candidates:
        raise ValueError("No passage of this article is left to tag.")
    return rng.choice(candidates)


def plan_saves(targets: list[dict], count: int, rng: random.Random) -> list[Save]:
    """`count` saves, going to each role of ROLES in turn and to the next article of that
    role, each on a passage no quote (and no earlier save) covers."""
    by_role = {role: [t for t in targets if t["role"] == role] for role in ROLES}
    roles = [role for role in ROLES if by_role[role]]  # a small archive may have no stances
    taken = {t["article"]: [tuple(span) for span in t["spans"]] for t in targets}
    saves = []
    for i in range(count):
        role = roles[i % len(roles)]
        target = by_role[role][i // len(roles) % len(by_role[role])]
        start, end = choose_span(target["body"], taken[target["article"]], rng)
        taken[target["article"]].append((start, end))
        text = target["body"][start:end]
        saves.append(Save(role, target["article"], start, end, text, target["speaker"]))
    return saves


def pace(port, session, saves: list[Save], rate: float, taggers: int = TAGGERS) -> list[dict]:
    """Send save i at i / rate seconds from now (open loop) from `taggers` threads, each
    taking the next save due as soon as it is free. Returns one record per save: when it
    was due, sent and answered (seconds from the start), its status and answer size."""
    records: list[dict] = []
    lock = threading.Lock()
    upcoming = iter(enumerate(saves))
    started = time.perf_counter()

    def tagger():
        client = Client(port, *session)
        while True:
            with lock:
                i, save = next(upcoming, (None, None))
            if save is None:
                return
            due = i / rate
            time.sleep(max(0.0, started + due - time.perf_counter()))
            sent = time.perf_counter() - started
            status, answer = client.request(*save.request())
            done = time.perf_counter() - started
            record = {"role": save.role, "article": save.article, "status": status}
            record.update(due=due, sent=sent, done=done, bytes=len(answer))
            with lock:
                records.append(record)

    threads = [threading.Thread(target=tagger) for _ in range(taggers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(records, key=lambda record: record["due"])


def save_summary(records: list[dict], seconds: float, rate: float) -> dict:
    """The tag saves' report row. Latencies count from when each save was due; the
    achieved rate is saves answered 200 per second over the phase (or until the last
    answer, if that came later)."""
    from_due, from_sent = Samples(), Samples()
    for record in records:
        ok = record["status"] == 200
        from_due.add(record["done"] - record["due"], record["bytes"], ok)
        from_sent.add(record["done"] - record["sent"], record["bytes"], ok)
    span = max([seconds, *(record["done"] for record in records)])
    saved = sum(record["status"] == 200 for record in records)
    row = summary(from_due, span)
    service = summary(from_sent, span)
    lags = [record["sent"] - record["due"] for record in records]
    row.update(
        rps=saved / span,
        scheduled_per_second=rate,
        scheduled=len(records),
        saved=saved,
        service_p50_ms=service["p50_ms"],
        service_p99_ms=service["p99_ms"],
        send_lag_max_ms=max(lags, default=0.0) * 1000,
    )
    return row


def run(port, session, paths: dict[str, str], saves, seconds, rate, clients) -> dict:
    """The mixed phase: readers on PAGES for `seconds` while `saves` are paced at `rate`."""
    pages = [(page, "GET", paths[page], None, None) for page in PAGES]

    def readers(k):  # each reader starts at a different page
        return itertools.islice(itertools.cycle(pages), k % len(pages), None)

    outcome = {}
    taggers = threading.Thread(
        target=lambda: outcome.update(records=pace(port, session, saves, rate))
    )
    taggers.start()
    try:
        samples, elapsed = drive(port, session, seconds, clients, readers)
    finally:
        taggers.join()
    records = outcome["records"]
    rows = {page: summary(samples.get(page, Samples()), elapsed) for page in PAGES}
    rows["tag_save"] = save_summary(records, seconds, rate)
    return {"rows": {name: {"name": name, **row} for name, row in rows.items()}, "saves": records}
