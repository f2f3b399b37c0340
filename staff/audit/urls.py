"""The audit log: the API list and the managers' page."""

from django.urls import path

from staff.audit.api import AuditListApi
from staff.audit.views import audit_page

api_urlpatterns = [
    path("audit/", AuditListApi.as_view(), name="audit-list"),
]

urlpatterns = [
    path("audit/", audit_page, name="audit"),
]
