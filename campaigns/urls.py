"""Add-friend scripts and groups in the API."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from campaigns import api

router = SimpleRouter()
router.register("scripts", api.ScriptViewSet, basename="script")
router.register("groups", api.GroupViewSet, basename="group")

api_urlpatterns = [path("", include(router.urls))]
urlpatterns: list = []
