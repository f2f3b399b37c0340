from django.urls import include, path
from rest_framework.routers import SimpleRouter

from campaigns.channels import api, views

router = SimpleRouter()
router.register("channel-codes", api.ChannelCodeViewSet, basename="channel-code")

api_urlpatterns = [
    path("reports/channel-codes/", api.ChannelCodeReportApi.as_view(), name="report-channel-codes"),
    path("staff/<str:username>/contact-qr/", api.StaffContactQrApi.as_view(), name="staff-contact-qr"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("c/<slug:code>/", views.channel_landing, name="channel-landing"),
    path("channels/", views.channel_code_page, name="channel-codes"),
    path("channels/contact-qr/", views.contact_qr_page, name="channel-contact-qr"),
    path("channels/<slug:code>/toggle/", views.channel_code_toggle, name="channel-code-toggle"),
    path("channels/<slug:code>/poster.<str:fmt>", views.channel_poster, name="channel-poster"),
]
