from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import KeywordReplyViewSet

router = SimpleRouter()
router.register("keyword-replies", KeywordReplyViewSet, basename="keyword-reply")

urlpatterns = [path("", include(router.urls))]
