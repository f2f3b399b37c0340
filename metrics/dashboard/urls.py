"""The dashboard pages."""

from django.urls import path

from metrics.dashboard import views

api_urlpatterns: list = []

urlpatterns = [
    path("dashboard/", views.overview, name="overview"),
    path("funnel/", views.funnel, name="funnel"),
    path("scripts/", views.scripts, name="scripts-ab"),
    path("groups/", views.groups, name="groups"),
    path("staff-board/", views.staff_board, name="staff-board"),
]
