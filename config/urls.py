from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("articles/", include("apps.articles.urls")),
    path("", include("apps.quotes.urls")),
    path("", include("apps.sources.urls")),
    path("", include("apps.claims.urls")),
    path("admin/", admin.site.urls),
]
