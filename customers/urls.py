"""Customers: lead sources, tags and customers in the API; the customer list and detail pages."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from customers import api, views

router = SimpleRouter()
router.register("lead-sources", api.LeadSourceViewSet, basename="lead-source")
router.register("tags", api.TagViewSet, basename="tag")
router.register("customers", api.CustomerViewSet, basename="customer")

api_urlpatterns = [path("", include(router.urls))]

urlpatterns = [
    path("customers/", views.customer_list, name="customer-list"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer-detail"),
]
