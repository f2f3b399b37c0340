from django.urls import path

from . import views

urlpatterns = [
    path("staff/<str:username>/teams/", views.staff_team_history, name="staff-team-history"),
]
