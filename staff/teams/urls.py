"""Each staff member's team history page."""

from django.urls import path

from staff.teams import views

api_urlpatterns: list = []

urlpatterns = [
    path("staff/<str:username>/teams/", views.staff_team_history, name="staff-team-history"),
]
