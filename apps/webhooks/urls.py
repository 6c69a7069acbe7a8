from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("webhooks/", views.endpoint_list, name="endpoints"),
    path("webhooks/<int:pk>/", views.endpoint_detail, name="endpoint"),
    path("webhooks/<int:pk>/edit/", views.endpoint_edit, name="endpoint_edit"),
    path("webhooks/<int:pk>/active/", views.endpoint_active, name="endpoint_active"),
    path("webhooks/<int:pk>/delete/", views.endpoint_delete, name="endpoint_delete"),
    path("webhooks/<int:pk>/test/", views.endpoint_test, name="endpoint_test"),
    path("webhooks/deliveries/<int:pk>/redeliver/", views.delivery_redeliver, name="redeliver"),
]
