"""Search at archive scale on PostgreSQL: each quote's full-text vector is stored in
a generated column (computed once on write, never while searching) with a GIN
index, replacing the expression index; trigram indexes let the substring
matches on article titles, source titles and publishers, and speaker roles use
an index instead of reading whole tables. Nothing on SQLite."""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE quotes_quote ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, exact)) STORED",
    "CREATE INDEX IF NOT EXISTS quote_search_vector ON quotes_quote USING GIN (search_vector)",
    "DROP INDEX IF EXISTS quote_exact_fts",
    "CREATE INDEX IF NOT EXISTS article_title_trgm ON articles_article "
    "USING GIN (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS source_title_trgm ON sources_source USING GIN (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS source_publisher_trgm ON sources_source "
    "USING GIN (publisher gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS speaker_role_trgm ON sources_speaker USING GIN (role gin_trgm_ops)",
]
REVERSE = [
    "DROP INDEX IF EXISTS speaker_role_trgm",
    "DROP INDEX IF EXISTS source_publisher_trgm",
    "DROP INDEX IF EXISTS source_title_trgm",
    "DROP INDEX IF EXISTS article_title_trgm",
    "CREATE INDEX IF NOT EXISTS quote_exact_fts ON quotes_quote "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(exact, '')))",
    "DROP INDEX IF EXISTS quote_search_vector",
    "ALTER TABLE quotes_quote DROP COLUMN IF EXISTS search_vector",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("quotes", "0004_search_indexes"), ("articles", "0001_initial")]
    operations = [migrations.RunPython(run(POSTGRES), run(REVERSE))]
