from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("broadcasts", apis.BroadcastViewSet, basename="broadcast")

urlpatterns = [path("", include(router.urls))]
