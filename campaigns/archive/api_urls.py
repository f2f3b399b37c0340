from django.urls import path

from .api import MessageListApi

urlpatterns = [path("messages/", MessageListApi.as_view(), name="message-list")]
