"""Liveness for load balancers and the load test's baseline: no API, one page-level path."""

from django.urls import path

from sitadmin.health import views

api_urlpatterns: list = []
urlpatterns = [path("healthz", views.healthz, name="healthz")]
