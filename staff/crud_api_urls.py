from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import apis
from .accounts.api import TokenApi

router = SimpleRouter()
router.register("teams", apis.TeamViewSet, basename="team")
router.register("staff", apis.StaffViewSet, basename="staff")

urlpatterns = [
    path("auth/token/", TokenApi.as_view(), name="auth-token"),
    path("", include(router.urls)),
]
