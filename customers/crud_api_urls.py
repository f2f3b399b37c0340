from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("lead-sources", apis.LeadSourceViewSet, basename="lead-source")
router.register("tags", apis.TagViewSet, basename="tag")
router.register("customers", apis.CustomerViewSet, basename="customer")

urlpatterns = [path("", include(router.urls))]
