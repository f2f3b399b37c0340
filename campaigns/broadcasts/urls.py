from django.urls import path

from . import views

urlpatterns = [
    path("broadcasts/", views.broadcast_page, name="broadcasts"),
    path("broadcasts/preview/", views.broadcast_preview, name="broadcast-preview"),
    path("broadcasts/new/", views.broadcast_new, name="broadcast-new"),
]
