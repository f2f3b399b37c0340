"""Lead imports: the jobs API and the upload page with its progress bar."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from customers.imports import api, views

router = SimpleRouter()
router.register("imports", api.ImportViewSet, basename="import")

api_urlpatterns = [path("", include(router.urls))]

urlpatterns = [
    path("imports/", views.import_page, name="imports"),
    path("imports/<int:job_id>/progress/", views.import_progress, name="import-progress"),
]
