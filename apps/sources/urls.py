from django.urls import path

from . import views

app_name = "sources"
urlpatterns = [
    path("speakers/", views.speaker_list, name="speakers"),
    path("speakers/options/", views.speaker_options, name="speaker_options"),
    path("speakers/<int:pk>/", views.speaker_detail, name="speaker"),
    path("speakers/<int:pk>/edit/", views.speaker_edit, name="speaker_edit"),
    path("speakers/<int:pk>/merge/", views.speaker_merge, name="speaker_merge"),
    path("sources/", views.source_list, name="sources"),
    path("sources/options/", views.source_options, name="source_options"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/original/", views.source_original, name="source_original"),
    path("sources/originals/import/", views.import_original, name="import_original"),
    path("sources/originals/options/", views.article_options, name="article_options"),
]
