from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from apps.api.v1 import urlpatterns as api_urlpatterns
from apps.core import views as core_views
from apps.core.accounts import LoginView

# Staff sign in through the one throttled login form, not the admin's own.
admin.site.login = login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("livez", core_views.livez, name="livez"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("articles/", include("apps.articles.urls")),
    path("", include("apps.quotes.urls")),
    path("", include("apps.sources.urls")),
    path("", include("apps.claims.urls")),
    path("settings/", include("apps.api.urls")),
    path("", include("apps.webhooks.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urlpatterns(), "api-v1"))),
]
