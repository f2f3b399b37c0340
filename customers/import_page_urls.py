from django.urls import path

from . import import_views

urlpatterns = [
    path("imports/", import_views.import_page, name="imports"),
    path("imports/<int:job_id>/progress/", import_views.import_progress, name="import-progress"),
]
