from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("channel-codes", apis.ChannelCodeViewSet, basename="channel-code")

urlpatterns = [
    path("reports/channel-codes/", apis.ChannelCodeReportApi.as_view(), name="report-channel-codes"),
    path("staff/<str:username>/contact-qr/", apis.StaffContactQrApi.as_view(), name="staff-contact-qr"),
    path("", include(router.urls)),
]
