"""A quote's text must be its article's body at [start, end), always.

A CHECK constraint cannot read the article row, so triggers enforce it: on
every insert or update of a quote, and on every change of an article's body
(a correction must re-anchor or orphan its quotes first). Orphaned quotes are
exempt: they are kept for repair precisely because their text was lost.
Only writes to the span's columns are checked: reassigning a speaker (a merge)
neither reads nor locks the article.
"""

from apps.core.dbsql import TriggerSet, register

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION quotes_quote_span_matches() RETURNS trigger AS $$
    DECLARE
        article_body text;
    BEGIN
        IF NEW.orphaned THEN
            RETURN NEW;
        END IF;
        -- FOR SHARE: a correction of the body holds the row until it commits, and
        -- this check then reads the corrected body, never the one being replaced.
        SELECT body INTO article_body FROM articles_article WHERE id = NEW.article_id FOR SHARE;
        IF NEW."end" <= NEW.start OR NEW."end" > char_length(article_body)
           OR substr(article_body, NEW.start + 1, NEW."end" - NEW.start)
              IS DISTINCT FROM NEW.exact THEN
            RAISE EXCEPTION 'quote span [%, %) does not match the body of article %',
                NEW.start, NEW."end", NEW.article_id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER quotes_quote_span_matches
    BEFORE INSERT OR UPDATE OF article_id, start, "end", exact, orphaned ON quotes_quote
    FOR EACH ROW EXECUTE FUNCTION quotes_quote_span_matches();
    """,
    """
    CREATE OR REPLACE FUNCTION articles_article_body_keeps_quotes() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM quotes_quote q
            WHERE q.article_id = NEW.id AND NOT q.orphaned
              AND (q."end" > char_length(NEW.body)
                   OR substr(NEW.body, q.start + 1, q."end" - q.start) IS DISTINCT FROM q.exact)
        ) THEN
            RAISE EXCEPTION 'the new body of article % no longer holds its quotes at their spans',
                NEW.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER articles_article_body_keeps_quotes
    BEFORE UPDATE OF body ON articles_article
    FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body)
    EXECUTE FUNCTION articles_article_body_keeps_quotes();
    """,
]

_SQLITE_QUOTE_CHECK = """
    WHEN NOT NEW.orphaned AND (
        NEW."end" > (SELECT length(body) FROM articles_article WHERE id = NEW.article_id)
        OR substr((SELECT body FROM articles_article WHERE id = NEW.article_id),
                  NEW.start + 1, NEW."end" - NEW.start) IS NOT NEW.exact
    )
    BEGIN
        SELECT RAISE(ABORT, 'quote span does not match the article body');
    END;
"""

SQLITE = [
    "CREATE TRIGGER quotes_quote_span_insert BEFORE INSERT ON quotes_quote" + _SQLITE_QUOTE_CHECK,
    "CREATE TRIGGER quotes_quote_span_update "
    'BEFORE UPDATE OF article_id, start, "end", exact, orphaned ON quotes_quote'
    + _SQLITE_QUOTE_CHECK,
    """
    CREATE TRIGGER articles_article_body_keeps_quotes BEFORE UPDATE OF body ON articles_article
    WHEN EXISTS (
        SELECT 1 FROM quotes_quote q
        WHERE q.article_id = NEW.id AND NOT q.orphaned
          AND (q."end" > length(NEW.body)
               OR substr(NEW.body, q.start + 1, q."end" - q.start) IS NOT q.exact)
    )
    BEGIN
        SELECT RAISE(ABORT, 'the new body no longer contains its quotes at their spans');
    END;
    """,
]

REVERSE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS articles_article_body_keeps_quotes ON articles_article",
        "DROP FUNCTION IF EXISTS articles_article_body_keeps_quotes()",
        "DROP TRIGGER IF EXISTS quotes_quote_span_matches ON quotes_quote",
        "DROP FUNCTION IF EXISTS quotes_quote_span_matches()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS articles_article_body_keeps_quotes",
        "DROP TRIGGER IF EXISTS quotes_quote_span_update",
        "DROP TRIGGER IF EXISTS quotes_quote_span_insert",
    ],
}

QUOTE_SPANS = register(
    TriggerSet(
        name="quote_spans",
        tables=("articles_article", "quotes_quote"),
        create={"postgresql": POSTGRES, "sqlite": SQLITE},
        drop=REVERSE,
    )
)
