from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import AlertViewSet, SensitiveWordViewSet

router = SimpleRouter()
router.register("sensitive-words", SensitiveWordViewSet, basename="sensitive-word")
router.register("alerts", AlertViewSet, basename="alert")

urlpatterns = [path("", include(router.urls))]
