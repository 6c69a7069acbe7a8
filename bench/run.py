"""Quotetrail benchmark: `make bench` (or `.venv/bin/python bench/run.py --help`).

Loads (or reuses) a synthetic archive in a PostgreSQL database of its own, starts
the production server (gunicorn, connection pool) on loopback, drives concurrent
clients at each page for a fixed time, and prints requests per second, p50, p95,
p99, errors and the ratio of each p50 to /healthz's p50 measured in the same run,
so the figures hold on a noisy machine. Then the mixed phase (bench/mixed.py): readers
on the board, a speaker, a search and the 200-quote article while taggers save at a
steady rate. Also reports the article page's JavaScript and CSS, gzipped. Results are
written to bench/results/*.json.

Pages derived from the archive are remembered under version counters, so most
endpoints measure what a reader sees once a page has been built. `search_fresh`
sends queries never seen before (two frequent words each) to show the cost of
searching 1,000,000 quotes from scratch; `trail` is one quote's trail page (a line
other outlets reprinted, chosen in SETUP); `signed_in_floor` is the search page with
no query (session, user, page frame and nothing else), the least any signed-in page
costs, and has no target.
"""

import argparse
import datetime
import gzip
import http.client
import itertools
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import mixed
from load import PASSWORD, Client, login, measure

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
TAG_WORDS = 15000

TARGETS = {  # (label, value, against, limit): the value / against's p50, from the product brief
    "article_200": [("p50", "p50_ms", "healthz", 5)],
    "tag_post": [("p50", "p50_ms", "healthz", 3)],
    "board": [("p50", "p50_ms", "healthz", 5)],
    "speaker": [("p50", "p50_ms", "healthz", 5)],
    "search": [("p50", "p50_ms", "healthz", 5)],
    "search_fresh": [("p50", "p50_ms", "healthz", 10)],
    "compare": [("p50", "p50_ms", "healthz", 5)],
    "candidates": [("p50", "p50_ms", "healthz", 5)],
    "article_2000": [("p50", "p50_ms", "article_200", 10)],
    "trail": [("p50", "p50_ms", "healthz", 5)],
    "api_quotes": [("p50", "p50_ms", "healthz", 5)],
}
ASSET_BUDGET = 60 * 1024


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
        QUOTETRAIL_ENV="production",
        DJANGO_SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DATABASE_POOL_MAX=str(max(16, args.clients * 2)),
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_THREADS=str(args.threads),
        LOG_LEVEL="WARNING",
        QUOTETRAIL_API_RATE="1000000/m",  # the benchmark measures latency, not the limit
    )
    return env


def manage(env, *arguments, capture=False) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PY, str(ROOT / "manage.py"), *arguments],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


# Every quote the benchmark account saved (tag POSTs, the mixed phase's saves across the
# archive) is deleted before a run and after it, so each run reads the generated archive.
FORGET = """
from apps.articles.models import Article
from apps.quotes.models import Quote
Quote.objects.filter(created_by__username="bench").delete()
Article.objects.filter(created_by__username="bench-api").delete()
"""

SETUP = """
import json
from django.contrib.auth.models import Group, User
from django.db.models import Count
from apps.articles.importing import Metadata, create_article
from apps.articles.models import Article
from apps.quotes.models import Quote
from apps.sources.models import Speaker
user, _ = User.objects.get_or_create(username="bench")
user.set_password("%(password)s"); user.save()
user.groups.set([Group.objects.get_or_create(name="reviewer")[0]])
from apps.api.models import ApiToken
from apps.api.tokens import issue
pusher, _ = User.objects.get_or_create(username="bench-api")
pusher.groups.set([Group.objects.get_or_create(name="editor")[0]])
ApiToken.objects.filter(user=pusher).delete()
token = issue(pusher, "benchmark")[1]
title = "Benchmark tagging article"
tagging = Article.objects.filter(title=title).first()
if tagging is None:
    body = " ".join(f"w{i:09d}" for i in range(%(words)d))
    tagging = create_article(title, body, Metadata())
%(forget)s
a200 = Article.objects.filter(title="Benchmark article with 200 quotes").first()
a2000 = Article.objects.filter(title="Benchmark article with 2000 quotes").first()
speaker = Speaker.objects.annotate(n=Count("quotes")).order_by("-n").first()
from django.db import connection
with connection.cursor() as cursor:  # frequent words, for searches never seen before
    cursor.execute(
        "SELECT word FROM ts_stat('SELECT search_vector FROM quotes_quote WHERE id %% 500 = 0')"
        " WHERE length(word) > 3 ORDER BY ndoc DESC LIMIT 60"
    )
    words = [row[0] for row in cursor.fetchall()]
    # The quote for the trail page: the first appearance of the direct quotation naming a
    # sum of money found verbatim in the most articles (a line other outlets reprinted:
    # the generator's templates repeat lines by chance, but never one with a sum).
    cursor.execute(
        "WITH lines AS (SELECT q.id, q.article_id, a.published,"
        "   regexp_replace(lower(q.exact), '[^[:alnum:] ]+', '', 'g') AS words"
        "   FROM quotes_quote q JOIN articles_article a ON a.id = q.article_id"
        "   WHERE q.kind = 'direct' AND q.exact LIKE '%%$%%'),"
        " repeated AS (SELECT words, count(DISTINCT article_id) AS n FROM lines GROUP BY words"
        "   HAVING count(DISTINCT article_id) >= 2 ORDER BY n DESC, words LIMIT 1)"
        " SELECT l.id, r.n FROM lines l JOIN repeated r USING (words)"
        " ORDER BY l.published, l.id LIMIT 1"
    )
    trail, trail_articles = cursor.fetchone() or (None, 0)
from apps.claims.models import Claim
big = Claim.objects.annotate(n=Count("stances")).order_by("-n").first()
sides = list(
    Speaker.objects.filter(kind="organization")
    .annotate(n=Count("members__quotes__stances")).order_by("-n").values_list("pk", flat=True)[:2]
)
print("BENCH " + json.dumps({
    "claim": big and big.pk, "claim_statements": big and big.n, "sides": sides,
    "quotes": Quote.objects.count(), "articles": Article.objects.count(),
    "a200": a200 and a200.pk, "a2000": a2000 and a2000.pk,
    "speaker": speaker and speaker.pk, "speaker_quotes": speaker and speaker.n,
    "tagging": tagging.pk, "tagging_body": tagging.body[:40], "words": words,
    "trail": trail, "trail_articles": trail_articles, "token": token,
}))
"""


def create_database(env, name: str, purpose: str) -> None:
    """Create (or keep) a PostgreSQL database of its own, migrated, static files collected."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit("--db must be a plain PostgreSQL database name.")
    created = subprocess.run(  # noqa: S603
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if created.returncode != 0 and "already exists" not in created.stderr:
        raise SystemExit(f"Cannot create the {purpose} database: {created.stderr.strip()}")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")


def prepare(args, env) -> dict:
    create_database(env, args.db, "benchmark")
    info = setup(env)
    wanted = args.quotes * 0.95
    if info["quotes"] < wanted or not info["a200"] or not info["a2000"]:
        print(f"Generating {args.articles:,} articles and {args.quotes:,} quotes…", flush=True)
        started = time.perf_counter()
        manage(
            env, "generate_demo_data", "--articles", str(args.articles),
            "--quotes", str(args.quotes), "--bench", "--seed", str(int(time.time())),
        )  # fmt: skip
        print(f"Generated in {time.perf_counter() - started:,.0f} s.", flush=True)
        # Bulk-inserted rows: gather planner statistics and the visibility map now, as
        # autovacuum would in time (it may be off, and the run would measure bad plans).
        subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", args.db, "-qc", "VACUUM ANALYZE"],  # noqa: S607
            check=True,
        )
        info = setup(env)
    else:
        print(f"Reusing the archive: {info['articles']:,} articles, {info['quotes']:,} quotes.")
    return info


def setup(env) -> dict:
    return shell(env, SETUP % {"password": PASSWORD, "words": TAG_WORDS, "forget": FORGET})


def shell(env, script: str) -> dict:
    """Run a script in `manage.py shell`; returns the JSON it prints after "BENCH "."""
    output = manage(env, "shell", "-c", script, capture=True)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return json.loads(line[len("BENCH ") :])


def asset_sizes(port, session, path) -> dict:
    client = Client(port, *session)
    status, html = client.request("GET", path)
    page = html.decode()
    assets = re.findall(r'<script[^>]+src="([^"]+)"', page)
    assets += re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page)
    sizes = {}
    for asset in assets:
        status, body = client.request("GET", asset)
        sizes[asset] = {"bytes": len(body), "gzip": len(gzip.compress(body, 9)), "status": status}
    return {"assets": sizes, "total_gzip": sum(s["gzip"] for s in sizes.values())}


def start_server(env, port, **popen):
    """gunicorn with `env`, once it answers /healthz on `port`; `popen` overrides how it
    is started (its stderr, a session of its own)."""
    options = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, **popen}
    server = subprocess.Popen(  # noqa: S603
        [GUNICORN, "-c", str(ROOT / "config" / "gunicorn.conf.py"), "config.wsgi"],
        env=env,
        cwd=ROOT,
        **options,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 20 s.")


def report(heading, rows, targets, reference, prefix="") -> dict[str, bool]:
    """Print each row with its p50 and p99 as ratios to /healthz's p50 (in `reference`, the
    read-only rows) and its targets met or missed; returns the verdicts."""
    base = reference["healthz"]["p50_ms"]
    print(f"{heading:<16}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
          f"{'KB':>7}{'p50×hz':>8}{'p99×hz':>8}  target")  # fmt: skip
    verdicts = {}
    for name, row in rows.items():
        row["ratio_to_healthz"] = row["p50_ms"] / base if base else float("nan")
        row["p99_ratio_to_healthz"] = row["p99_ms"] / base if base else float("nan")
        notes = []
        for label, value, against, limit in targets.get(name, ()):
            if against is None:  # a size budget, in bytes
                measured = row[value]
                note = f"{label} {measured / 1024:.1f} KB ≤ {limit / 1024:g} KB"
            else:
                measured = row[value] / reference[against]["p50_ms"]
                note = f"{label} {measured:.1f}× {against} ≤ {limit}"
            passed = measured <= limit and row["errors"] == 0
            verdicts[prefix + name + ("" if label == "p50" else f" {label}")] = passed
            notes.append(f"{note} {'ok' if passed else 'MISSED'}")
        print(f"{name:<16}{row['rps']:>8.1f}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
              f"{row['p99_ms']:>9.1f}{row['errors']:>8}{row['answer_bytes_median'] / 1024:>7.1f}"
              f"{row['ratio_to_healthz']:>8.2f}{row['p99_ratio_to_healthz']:>8.2f}"
              f"  {', '.join(notes)}")  # fmt: skip
    return verdicts


def forget(env) -> None:
    try:
        manage(env, "shell", "-c", FORGET, capture=True)
    except subprocess.CalledProcessError:
        print("Could not delete the quotes the benchmark saved; the next run will.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8.0, help="per endpoint")
    parser.add_argument("--db", default="quotetrail_bench")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--search", default="energy price cap", help="a phrase about 1 in 200 quotes contain"
    )
    parser.add_argument(
        "--mixed-seconds", type=float, default=15.0, help="readers and taggers together"
    )
    parser.add_argument(
        "--mixed-saves-per-second", type=float, default=2.0, help="the taggers' steady rate"
    )
    args = parser.parse_args()
    if args.mixed_saves_per_second < 0:
        parser.error("--mixed-saves-per-second cannot be negative.")

    env = environment(args)
    info = prepare(args, env)
    seed = int(time.time())
    count = int(args.mixed_saves_per_second * args.mixed_seconds)
    where = shell(
        env,
        mixed.SCRIPT
        % {
            "seed": seed,
            "per_role": count // len(mixed.ROLES) + 1,
            "a200": info["a200"],
            "speaker": info["speaker"],
        },
    )
    saves = mixed.plan_saves(where["targets"], count, random.Random(seed))
    paths = {
        "healthz": "/healthz",
        "signed_in_floor": "/search/",
        "article_200": f"/articles/{info['a200']}/",
        "article_2000": f"/articles/{info['a2000']}/",
        "board": "/board/",
        "speaker": f"/speakers/{info['speaker']}/",
        "search": "/search/?" + urllib.parse.urlencode({"q": args.search}),
        "claim": f"/claims/{info['claim']}/",
        "trail": f"/quotes/{info['trail']}/trail/",
        "candidates": f"/claims/{info['claim']}/statements/",
        "api_quotes": f"/api/v1/quotes?article={info['a200']}&limit=50",
        "compare": "/board/compare/?"
        + urllib.parse.urlencode(dict(zip(("left", "right"), info["sides"], strict=False))),
    }
    server = start_server(env, args.port)
    try:
        session = login(args.port)
        spans = itertools.count()
        lock = threading.Lock()

        def tag_request():
            with lock:
                index = next(spans)
            start = index * 11
            body = urllib.parse.urlencode(
                {"text": f"w{index:09d}", "start": start, "end": start + 10, "kind": "indirect"}
            )
            headers = {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
            return "POST", f"/articles/{info['tagging']}/quotes/", body, headers

        def get(path):
            return lambda: ("GET", path, None, None)

        bearer = {"Authorization": f"Bearer {info['token']}"}
        api_json = {**bearer, "Content-Type": "application/json"}
        words = " ".join(f"word{n}" for n in range(40))

        def api_import():
            """A CMS pushing a new 400-word story: unique, so never refused as a duplicate."""
            with lock:
                index = next(spans)
            lines = [f"Story {seed}-{index}: “{words} {index}”, said Minister {index}."] * 10
            body = {"title": f"API story {seed}-{index}", "body": "\n\n".join(lines)}
            return "POST", "/api/v1/articles", json.dumps(body), api_json

        pairs = itertools.cycle(itertools.combinations(info["words"], 2))

        def fresh_search():
            with lock:
                query = " ".join(next(pairs))
            return "GET", "/search/?" + urllib.parse.urlencode({"q": query}), None, None

        plan = [
            ("healthz", get(paths["healthz"])),
            ("signed_in_floor", get(paths["signed_in_floor"])),
            ("article_200", get(paths["article_200"])),
            ("article_2000", get(paths["article_2000"])),
            ("tag_post", tag_request),
            ("board", get(paths["board"])),
            ("speaker", get(paths["speaker"])),
            ("search", get(paths["search"])),
            ("search_fresh", fresh_search),
            ("claim", get(paths["claim"])),
            ("candidates", lambda: ("GET", paths["candidates"], None, {"HX-Request": "true"})),
            ("compare", get(paths["compare"])),
            ("trail", get(paths["trail"])),
            ("api_quotes", lambda: ("GET", paths["api_quotes"], None, bearer)),
            ("api_import", api_import),
            ("healthz_again", get(paths["healthz"])),
        ]
        results = {}
        for name, make_request in plan:
            print(f"  {name} …", flush=True)
            ok = (201,) if name == "api_import" else (200,)
            results[name] = measure(
                name, args.port, session, args.seconds, args.clients, make_request, ok
            )
        assets = asset_sizes(args.port, session, paths["article_200"])
        print(f"  mixed: {len(saves)} saves over {args.mixed_seconds:g} s …", flush=True)
        mixed_phase = mixed.run(
            args.port, session, paths, saves, args.mixed_seconds,
            args.mixed_saves_per_second, args.clients,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)
        forget(env)

    print()
    print(f"Archive: {info['articles']:,} articles, {info['quotes']:,} quotes; "
          f"{args.clients} clients, {args.seconds:g} s per endpoint; the claim page and its "
          f"candidates: the claim with most statements ({info['claim_statements']:,}); the "
          f"trail: quote {info['trail']}, in {info['trail_articles']} articles")  # fmt: skip
    verdicts = report("endpoint", results, TARGETS, results)
    total = assets["total_gzip"]
    verdicts["assets"] = total <= ASSET_BUDGET
    print(f"Article page JS+CSS: {total / 1024:.1f} KB gzipped "
          f"({'ok' if verdicts['assets'] else 'MISSED'}: ≤ {ASSET_BUDGET // 1024} KB)")  # fmt: skip

    print()
    print(f"Mixed phase: {args.clients} readers cycling {', '.join(mixed.PAGES)} for "
          f"{args.mixed_seconds:g} s while {mixed.TAGGERS} taggers save "
          f"{args.mixed_saves_per_second:g}/s (save latency from when each was due)")  # fmt: skip
    rows = mixed_phase["rows"]
    verdicts |= report("page", rows, mixed.TARGETS, results, prefix="mixed ")
    saved = rows["tag_save"]
    print(f"Tag saves: {saved['saved']} of {saved['scheduled']} answered 200, "
          f"{saved['rps']:.2f}/s; service time p50 {saved['service_p50_ms']:.1f} ms, "
          f"p99 {saved['service_p99_ms']:.1f} ms; sent at most {saved['send_lag_max_ms']:.0f} ms "
          f"late; answer median {saved['answer_bytes_median']:,.0f} B, "
          f"max {saved['answer_bytes_max']:,.0f} B")  # fmt: skip

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "archive": info,
                "args": vars(args),
                "results": results,
                "mixed": {"seed": seed, **mixed_phase},
                "assets": assets,
                "targets_met": verdicts,
            },
            indent=2,
        )
    )
    print(f"Figures written to {path.relative_to(ROOT)}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
