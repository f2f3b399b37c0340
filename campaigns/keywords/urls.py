from django.urls import path

from . import views

urlpatterns = [
    path("keywords/", views.keyword_reply_page, name="keyword-replies"),
    path("keywords/try/", views.keyword_reply_try, name="keyword-reply-try"),
]
