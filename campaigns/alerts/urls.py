from django.urls import include, path
from rest_framework.routers import SimpleRouter

from campaigns.alerts import views
from campaigns.alerts.api import AlertViewSet, SensitiveWordViewSet

router = SimpleRouter()
router.register("sensitive-words", SensitiveWordViewSet, basename="sensitive-word")
router.register("alerts", AlertViewSet, basename="alert")

api_urlpatterns = [path("", include(router.urls))]

urlpatterns = [
    path("alerts/", views.alert_page, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge_view, name="alert-acknowledge"),
]
