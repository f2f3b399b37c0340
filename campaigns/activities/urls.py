from django.urls import path

from . import views

urlpatterns = [
    path("activities/", views.campaign_list_page, name="campaigns"),
    path("activities/<slug:code>/", views.campaign_page, name="campaign-detail"),
    path("activities/<slug:code>/draw/", views.campaign_draw_page, name="campaign-draw"),
]
