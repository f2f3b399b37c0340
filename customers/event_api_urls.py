from django.urls import path

from customers.event_apis import EventsIngestApi

urlpatterns = [
    path("events/", EventsIngestApi.as_view(), name="events-ingest"),
]
