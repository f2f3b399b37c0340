from django.urls import path

from campaigns.archive import views
from campaigns.archive.api import MessageListApi

api_urlpatterns = [path("messages/", MessageListApi.as_view(), name="message-list")]

urlpatterns = [path("messages/", views.message_archive_page, name="message-archive")]
