"""Sign-ins through Django's own login forms (the console and the admin) are audited here.

Django announces them with its auth signals; these receivers only write the audit row and change
nothing else. The API's token endpoint records its successful sign-ins itself.
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from staff.audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit-login")
def audit_login(sender, request, user, **kwargs):
    path = getattr(request, "path", "") if request is not None else ""
    audit_record(action="login", user=user, request=request, detail={"via": "admin" if "/admin/" in path else "page"})


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    path = getattr(request, "path", "") if request is not None else ""
    via = "api" if path.startswith("/api/") else "admin" if "/admin/" in path else "page"
    audit_record(action="login_failed", user=username, request=request, object_repr=username, detail={"via": via})
