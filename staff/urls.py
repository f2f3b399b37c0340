"""Teams, staff and API tokens; the log-in pages."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from staff import api
from staff.accounts.api import TokenApi

router = SimpleRouter()
router.register("teams", api.TeamViewSet, basename="team")
router.register("staff", api.StaffViewSet, basename="staff")

api_urlpatterns = [
    path("auth/token/", TokenApi.as_view(), name="auth-token"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
