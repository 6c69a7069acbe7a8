from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("import/", views.import_article, name="import"),
    path("import/feed/", views.import_feed, name="import_feed"),
    path("import/pages/", views.import_urls, name="import_urls"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
]
