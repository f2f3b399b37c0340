from django.urls import path

from . import views

urlpatterns = [path("messages/", views.message_archive_page, name="message-archive")]
