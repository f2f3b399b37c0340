from django.urls import include, path
from rest_framework.routers import SimpleRouter

from campaigns.broadcasts import api, views

router = SimpleRouter()
router.register("broadcasts", api.BroadcastViewSet, basename="broadcast")

api_urlpatterns = [path("", include(router.urls))]

urlpatterns = [
    path("broadcasts/", views.broadcast_page, name="broadcasts"),
    path("broadcasts/preview/", views.broadcast_preview, name="broadcast-preview"),
    path("broadcasts/new/", views.broadcast_new, name="broadcast-new"),
]
