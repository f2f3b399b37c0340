from django.urls import include, path

urlpatterns = [
    path("", include("customers.page_urls")),
    path("", include("customers.import_page_urls")),
]
