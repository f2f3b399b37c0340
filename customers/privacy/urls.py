from django.urls import path

from .api import CustomerPhoneRevealApi

urlpatterns = [
    path("customers/<int:customer_id>/reveal-phone/", CustomerPhoneRevealApi.as_view(), name="customer-reveal-phone"),
]
