"""Every feature's URLs: its API under /api/v1/ (`api_urlpatterns`) and its pages (`urlpatterns`)."""

from importlib import import_module

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from sitadmin import views

FEATURES = (
    "staff.urls",
    "staff.teams.urls",
    "staff.evaluations.urls",
    "staff.audit.urls",
    "customers.urls",
    "customers.events.urls",
    "customers.imports.urls",
    "customers.ownership.urls",
    "customers.wecom.urls",
    "customers.privacy.urls",
    "campaigns.urls",
    "campaigns.channels.urls",
    "campaigns.broadcasts.urls",
    "campaigns.activities.urls",
    "campaigns.alerts.urls",
    "campaigns.keywords.urls",
    "campaigns.archive.urls",
    "campaigns.sop.urls",
    "metrics.api.urls",
    "metrics.dashboard.urls",
    "sitadmin.health.urls",
)
_modules = [import_module(name) for name in FEATURES]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include([p for m in _modules for p in m.api_urlpatterns])),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", views.home, name="home"),
    *[p for m in _modules for p in m.urlpatterns],
]

handler403 = "sitadmin.errors.permission_denied"
handler404 = "sitadmin.errors.page_not_found"
handler500 = "sitadmin.errors.server_error"
