from django.urls import include, path
from rest_framework.routers import SimpleRouter

from campaigns.keywords import views
from campaigns.keywords.api import KeywordReplyViewSet

router = SimpleRouter()
router.register("keyword-replies", KeywordReplyViewSet, basename="keyword-reply")

api_urlpatterns = [path("", include(router.urls))]

urlpatterns = [
    path("keywords/", views.keyword_reply_page, name="keyword-replies"),
    path("keywords/try/", views.keyword_reply_try, name="keyword-reply-try"),
]
