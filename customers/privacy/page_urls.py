from django.urls import path

from .views import customer_phone_reveal_page

urlpatterns = [
    path("customers/<int:customer_id>/reveal-phone/", customer_phone_reveal_page, name="customer-reveal-phone-page"),
]
