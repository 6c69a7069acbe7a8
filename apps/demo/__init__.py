"""A synthetic newsroom archive for demos and the benchmark (`manage.py generate_demo_data`).

Generation is split in two:

* pure functions (`build_cast`, `quote_counts`, `build_article`) that turn a seed
  into speakers, claims, article texts and quote spans, with no database; the
  same seed always gives the same text;
* `generate()`, which writes them batch by batch with `bulk_create`: one
  transaction per batch of articles (articles, their sources, quotes, stances),
  never a per-row `save()`, so memory stays bounded whatever the archive size.

Coverage repeats itself: about 3 % of the quotes reprint a memorable line an
earlier article of another outlet carried, verbatim, with a word dropped or
changed, trimmed, or in part, nearly always attributed to the same speaker
(`Reprints`), so quote trails have something to find. The run's articles are
built in order for that (`build_run`).

Every quote is a real span of its article's body: `exact == body[start:end]`
in code points, `end == start + len(exact)`, spans never overlap, and the
database triggers check each row as it goes in. Affiliations always point to
organizations; a stance's (quote, claim) pair is unique.

What is skipped on purpose: `bulk_create` sends no signals and bypasses
`save()`, so generated rows get no django-simple-history records and no
extractor suggestions; `Article.fingerprint` is computed here with
`apps.articles.models.fingerprint`, and the quote-trail index written (COPY on
PostgreSQL), as `save()` would.

Re-running adds to the archive without clashing. Each run has a marker: the
seed and a run number (the first run number not yet present in the database
for that seed). Both go into every article URL (`…-qt<seed>-r<run>-<n>`) and
into a reference line at the end of every body, so URLs and fingerprints stay
unique; the text of run r is drawn from (seed, r), so on a fresh database a
seed always produces the same archive. Speakers (matched by name and kind) and
claims (matched by text, ignoring case) that already exist are reused, not
duplicated. With `bench_sizes` (the command's `--bench`), articles titled
exactly "Benchmark article with <n> quotes" are added, with exactly n
non-overlapping quotes each (a 2,000-quote article's body stays under 200,000
characters, the import limit).
"""
