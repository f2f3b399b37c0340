"""Event ingestion."""

from django.urls import path

from customers.events.api import EventsIngestApi

api_urlpatterns = [path("events/", EventsIngestApi.as_view(), name="events-ingest")]
urlpatterns: list = []
