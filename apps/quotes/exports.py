"""Quotes as CSV, one row per quote, streamed so any archive size fits in memory."""

import csv

QUOTE_COLUMNS = [
    "article_id", "article_title", "article_url", "start", "end", "text", "kind", "cue",
    "speaker", "speaker_role", "organization", "source_title", "source_kind", "source_url",
    "source_date", "status", "review_reason", "needs_repair",
]  # fmt: skip


class Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(header)  # BOM: spreadsheet apps then read UTF-8
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def _cell(value):
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is shown as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def organization_of(speaker):
    if speaker is None:
        return ""
    if speaker.is_organization:
        return speaker.name
    return speaker.affiliation.name if speaker.affiliation else ""


def quote_rows(quotes):
    for quote in quotes:
        speaker, source, article = quote.speaker, quote.source, quote.article
        yield [
            article.pk,
            article.title,
            article.url,
            quote.start,
            quote.end,
            quote.exact,
            quote.kind,
            quote.cue,
            speaker.name if speaker else "",
            speaker.role if speaker else "",
            organization_of(speaker),
            source.title if source else "",
            source.kind if source else "",
            source.url if source else "",
            source.date.isoformat() if source and source.date else "",
            quote.status,
            quote.review_reason,
            "yes" if quote.orphaned else "",
        ]
