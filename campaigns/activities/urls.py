from django.urls import include, path
from rest_framework.routers import SimpleRouter

from campaigns.activities import api, views

router = SimpleRouter()
router.register("campaigns", api.CampaignViewSet, basename="campaign")

api_urlpatterns = [path("", include(router.urls))]

urlpatterns = [
    path("activities/", views.campaign_list_page, name="campaigns"),
    path("activities/<slug:code>/", views.campaign_page, name="campaign-detail"),
    path("activities/<slug:code>/draw/", views.campaign_draw_page, name="campaign-draw"),
]
