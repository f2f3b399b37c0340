from django.urls import path

from . import views

urlpatterns = [
    path("alerts/", views.alert_page, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge_view, name="alert-acknowledge"),
]
