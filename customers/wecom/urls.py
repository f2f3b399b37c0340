from django.urls import path

from customers.wecom.views import wecom_callback

urlpatterns = [
    path("wecom/callback/", wecom_callback, name="wecom-callback"),
]
