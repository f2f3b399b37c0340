from django.urls import path

from . import views

urlpatterns = [
    path("c/<slug:code>/", views.channel_landing, name="channel-landing"),
    path("channels/", views.channel_code_page, name="channel-codes"),
    path("channels/contact-qr/", views.contact_qr_page, name="channel-contact-qr"),
    path("channels/<slug:code>/toggle/", views.channel_code_toggle, name="channel-code-toggle"),
    path("channels/<slug:code>/poster.<str:fmt>", views.channel_poster, name="channel-poster"),
]
