from django.urls import path

from . import comparison_views, export_views, review_views, views

app_name = "claims"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/matrix/", comparison_views.matrix, name="matrix"),
    path("board/compare/", comparison_views.compare, name="compare"),
    path("board/compare.csv", comparison_views.compare_csv, name="compare_csv"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/options/", views.claim_options, name="claim_options"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/statements/", views.claim_statements, name="claim_statements"),
    path("quotes/<int:pk>/stances/", views.quote_stances, name="quote_stances"),
    path("stances/<int:pk>/delete/", views.stance_delete, name="stance_delete"),
    path("speakers/<int:pk>/timeline/", views.speaker_timeline, name="speaker_timeline"),
    path("review/", review_views.review_queue, name="review"),
    path("review/bulk/", review_views.review_bulk, name="review_bulk"),
    path(
        "review/<str:kind>/<int:pk>/<str:action>/",
        review_views.review_action,
        name="review_action",
    ),
    path("exports/contradictions.csv", export_views.contradictions_csv, name="contradictions_csv"),
    path("exports/claims.jsonld", export_views.claims_jsonld, name="claims_jsonld"),
]
