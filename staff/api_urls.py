from django.urls import include, path

urlpatterns = [
    path("", include("staff.crud_api_urls")),
    path("", include("staff.evaluation_api_urls")),
]
