from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import import_apis

router = SimpleRouter()
router.register("imports", import_apis.ImportViewSet, basename="import")

urlpatterns = [path("", include(router.urls))]
