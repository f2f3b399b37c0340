from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import evaluation_apis

router = SimpleRouter()
router.register("dimensions", evaluation_apis.DimensionViewSet, basename="dimension")
router.register("review-cycles", evaluation_apis.ReviewCycleViewSet, basename="review-cycle")
router.register("evaluations", evaluation_apis.EvaluationViewSet, basename="evaluation")

urlpatterns = [
    path("staff/<str:username>/handover/", evaluation_apis.HandoverApi.as_view(), name="staff-handover"),
    path("", include(router.urls)),
]
