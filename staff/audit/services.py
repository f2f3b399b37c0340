"""Writing the audit log: one call, `audit_record`, at every audited place."""

import ipaddress
from typing import Any

from .models import AuditAction, AuditEntry


def _clean(value: Any) -> Any:
    """Text PostgreSQL can store: NUL bytes and lone surrogates (hostile input) are replaced."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {str(_clean(key)): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_clean(item) for item in value]
    return value


def client_ip(request) -> str | None:
    """The client's address as the server saw it (the proxy's own header is handled by the proxy setup)."""
    if request is None:
        return None
    address = (getattr(request, "META", None) or {}).get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def audit_record(
    *,
    action: str,
    user=None,
    request=None,
    object_repr: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry: `user` is a User (or a username string, or None), `request` gives the IP.

    `object_repr` names what was acted on (a username, a customer id, a file); `detail` holds the
    parameters worth keeping (filters of an export, old and new values of a change). Never pass a
    phone number or a password.
    """
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if isinstance(user, str):
        username = user
    elif user is not None and getattr(user, "is_authenticated", False):
        username = user.get_username()
    else:
        username = ""
    return AuditEntry.objects.create(
        action=action,
        username=_clean(username)[:150],
        ip=client_ip(request),
        object_repr=_clean(str(object_repr))[:200],
        detail=_clean(detail or {}),
    )
