from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

api_v1 = [
    path("", include("staff.api_urls")),
    path("", include("customers.api_urls")),
    path("", include("campaigns.api_urls")),
    path("", include("metrics.api_urls")),
    path("", include("staff.audit.api_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("staff.urls")),
    path("", include("customers.urls")),
    path("", include("campaigns.urls")),
    path("", include("metrics.urls")),
    path("", include("staff.audit.urls")),
]
handler404 = "sitadmin.errors.not_found"
