from django.urls import include, path

urlpatterns = [
    path("", include("customers.crud_api_urls")),
    path("", include("customers.event_api_urls")),
    path("", include("customers.import_api_urls")),
]
