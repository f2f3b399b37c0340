from django.urls import path

from customers.wecom.apis import WecomArchiveImportApi

urlpatterns = [
    path("wecom/archive/", WecomArchiveImportApi.as_view(), name="wecom-archive"),
]
