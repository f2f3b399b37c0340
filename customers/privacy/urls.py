"""Revealing a masked phone: the API and the customer page's button."""

from django.urls import path

from customers.privacy.api import CustomerPhoneRevealApi
from customers.privacy.views import customer_phone_reveal_page

api_urlpatterns = [
    path("customers/<int:customer_id>/reveal-phone/", CustomerPhoneRevealApi.as_view(), name="customer-reveal-phone"),
]

urlpatterns = [
    path("customers/<int:customer_id>/reveal-phone/", customer_phone_reveal_page, name="customer-reveal-phone-page"),
]
