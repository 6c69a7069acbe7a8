from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/matrix/", views.matrix, name="matrix"),
    path("board/compare/", views.compare, name="compare"),
    path("board/compare.csv", views.compare_csv, name="compare_csv"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/options/", views.claim_options, name="claim_options"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/statements/", views.claim_statements, name="claim_statements"),
    path("quotes/<int:pk>/stances/", views.quote_stances, name="quote_stances"),
    path("stances/<int:pk>/delete/", views.stance_delete, name="stance_delete"),
    path("speakers/<int:pk>/timeline/", views.speaker_timeline, name="speaker_timeline"),
    path("review/", views.review_queue, name="review"),
    path("review/bulk/", views.review_bulk, name="review_bulk"),
    path("review/<str:kind>/<int:pk>/<str:action>/", views.review_action, name="review_action"),
    path("exports/contradictions.csv", views.contradictions_csv, name="contradictions_csv"),
    path("exports/claims.jsonld", views.claims_jsonld, name="claims_jsonld"),
]
