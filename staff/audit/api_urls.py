from django.urls import path

from .api import AuditListApi

urlpatterns = [
    path("audit/", AuditListApi.as_view(), name="audit-list"),
]
