"""Staff evaluation: dimensions, review cycles and evaluations in the API; the evaluation pages."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from staff.evaluations import api, views

router = SimpleRouter()
router.register("dimensions", api.DimensionViewSet, basename="dimension")
router.register("review-cycles", api.ReviewCycleViewSet, basename="review-cycle")
router.register("evaluations", api.EvaluationViewSet, basename="evaluation")

api_urlpatterns = [path("", include(router.urls))]

urlpatterns = [
    path("evaluations/", views.evaluation_list, name="evaluations"),
    path("evaluations/new/", views.evaluation_new, name="evaluation-new"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
]
