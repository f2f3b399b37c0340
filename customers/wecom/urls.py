from django.urls import path

from customers.wecom.api import WecomArchiveImportApi
from customers.wecom.views import wecom_callback

api_urlpatterns = [
    path("wecom/archive/", WecomArchiveImportApi.as_view(), name="wecom-archive"),
]

urlpatterns = [
    path("wecom/callback/", wecom_callback, name="wecom-callback"),
]
