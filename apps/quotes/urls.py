from django.urls import path

from . import views

app_name = "quotes"
urlpatterns = [
    path("articles/<int:pk>/", views.article_page, name="article"),
    path(
        "articles/<int:pk>/annotations.jsonld",
        views.article_annotations,
        name="article_annotations",
    ),
]
