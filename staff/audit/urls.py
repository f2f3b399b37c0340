from django.urls import path

from .views import audit_page

urlpatterns = [
    path("audit/", audit_page, name="audit"),
]
