"""Search: the results page (quotes, speakers and articles matching the words typed,
with filters; apps/quotes/search.py) and the few best matches shown as one types."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from apps.core.http import day, number, query_of
from apps.core.versions import incremental

from . import search
from .models import Quote

SEARCH_PER_PAGE = 25


def _search_filters(request) -> search.Filters:
    return search.Filters(
        kind=request.GET.get("kind", ""),
        speaker=number(request.GET.get("speaker")),
        organization=number(request.GET.get("organization")),
        date_from=day(request.GET.get("from")),
        date_to=day(request.GET.get("to")),
        status=request.GET.get("status", ""),
    )


@require_GET
def search_page(request):
    """Quotes, speakers and articles matching the words typed, with filters."""
    query = search.normalise(request.GET.get("q", ""))
    filters = _search_filters(request)
    # The page links carry the search as it is kept, not the rest of this request's query.
    params = {"q": query, "kind": filters.kind, "speaker": filters.speaker}
    params |= {"organization": filters.organization, "from": filters.date_from}
    params |= {"to": filters.date_to, "status": filters.status}
    requested = str(request.GET.get("page") or 1)[:12]
    searched = query or filters != search.Filters()
    found_html = None
    if searched:
        quotes = search.search_quotes(query, filters)
        shown = Paginator(quotes.ids, SEARCH_PER_PAGE).get_page(requested)
        shown_ids = tuple(shown.object_list)

        def render_found():
            page = Paginator(quotes, SEARCH_PER_PAGE).get_page(shown.number)
            first_page = page.number == 1
            context = {
                "page": page,
                "capped": quotes.capped,
                "query": query_of(params),
                "q": query,
                "highlight": search.Highlighter(query),
                "speakers": search.search_speakers(query) if first_page else [],
                "articles": search.search_articles(query) if first_page else [],
            }
            return render_to_string("quotes/search.html#found", context)

        # Speakers, articles and the page of quotes, rendered again only when one of
        # the quotes shown changes, or what search reads besides quotes does.
        found_html = incremental(
            "search-results",  # its page links changed: nothing kept as "search-page" is read
            (query, filters, shown.number, shown_ids, len(quotes), quotes.capped),
            render_found,
            lambda html, changed: None if changed.intersection(shown_ids) else html,
            search.OWNERS,
            "quotes",
        )
    context = {
        "q": query,
        "truncated": len(request.GET.get("q", "")) > search.MAX_QUERY,
        "filters": filters,
        "found_html": found_html,
        "kinds": Quote.Kind.choices,
        "statuses": Quote.Status.choices,
    }
    return render(request, "quotes/search.html", context)


@require_GET
def search_live(request):
    """The few best matches, shown under the search box as one types."""
    query = search.normalise(request.GET.get("q", ""))
    context = {"q": query, "highlight": search.Highlighter(query)}
    if len(query) >= 2:
        context.update(
            quotes=list(search.search_quotes(query)[:5]),
            speakers=search.search_speakers(query, limit=4),
            articles=search.search_articles(query, limit=3),
        )
    return render(request, "quotes/search.html#live", context)
