"""Customer hand-over when a staff member exits or transfers."""

from django.urls import path

from customers.ownership.api import HandoverApi

api_urlpatterns = [path("staff/<str:username>/handover/", HandoverApi.as_view(), name="staff-handover")]
urlpatterns: list = []
