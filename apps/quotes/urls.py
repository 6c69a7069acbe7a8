from django.urls import path

from . import (
    correction_views,
    export_views,
    search_views,
    suggestion_views,
    trail_views,
    views,
)

app_name = "quotes"
urlpatterns = [
    path("articles/<int:pk>/", views.article_page, name="article"),
    path("articles/<int:pk>/edit/", correction_views.article_edit, name="article_edit"),
    path("articles/<int:pk>/editor/", views.editor_idle, name="editor_idle"),
    path("articles/<int:pk>/quotes/new/", views.quote_new, name="new"),
    path("articles/<int:pk>/quotes/", views.quote_create, name="create"),
    path("quotes/<int:pk>/edit/", views.quote_edit, name="edit"),
    path("quotes/<int:pk>/", views.quote_update, name="update"),
    path("quotes/<int:pk>/delete/", views.quote_delete, name="delete"),
    path("quotes/<int:pk>/history/", views.quote_history, name="history"),
    path("quotes/<int:pk>/trail/", trail_views.quote_trail, name="trail"),
    path("articles/<int:pk>/trail/", trail_views.span_trail, name="span_trail"),
    path("speakers/<int:pk>/repeated/", trail_views.speaker_repeated, name="speaker_repeated"),
    path("exports/quotes.csv", export_views.quotes_csv, name="quotes_csv"),
    path("search/", search_views.search_page, name="search"),
    path("search/live/", search_views.search_live, name="search_live"),
    path(
        "suggestions/<int:pk>/<str:decision>/",
        suggestion_views.suggestion_decide,
        name="suggestion_decide",
    ),
    path(
        "articles/<int:pk>/suggestions/accept-all/",
        suggestion_views.suggestions_accept_all,
        name="suggestions_accept_all",
    ),
    path(
        "articles/<int:pk>/suggestions/",
        suggestion_views.suggestions_panel,
        name="suggestions_panel",
    ),
    path("articles/<int:pk>/work/retry/", suggestion_views.work_retry, name="work_retry"),
    path(
        "articles/<int:pk>/annotations.jsonld",
        export_views.article_annotations,
        name="article_annotations",
    ),
]
