from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("scripts", apis.ScriptViewSet, basename="script")
router.register("groups", apis.GroupViewSet, basename="group")

urlpatterns = [path("", include(router.urls))]
