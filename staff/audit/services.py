"""Writing the audit log: one call, `audit_record`, at every audited place."""

import ipaddress
from typing import Any

from sitadmin.text import text_clean
from staff.audit.models import AuditAction, AuditEntry


def _clean(value: Any) -> Any:
    """Text PostgreSQL can store: NUL bytes and lone surrogates (hostile input) are replaced."""
    if isinstance(value, str):
        return text_clean(value)
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


# What a staff change records, old and new (never a password).
STAFF_AUDITED_FIELDS = ("name", "role", "status", "team", "hire_type", "joined_on", "left_on", "capacity", "weight")


def staff_snapshot(staff) -> dict:
    """The audited fields of a staff member, JSON-ready (the team by code)."""
    values = {field: getattr(staff, field) for field in STAFF_AUDITED_FIELDS if field != "team"}
    values["team"] = staff.team.code if staff.team_id else None
    return {
        key: (str(value) if value is not None and not isinstance(value, str) else value)
        for key, value in values.items()
    }


def audit_staff_change(*, request, staff, before: dict | None) -> None:
    """Record a created (`before` None) or changed staff member; a status change to exited or
    transferred also records the hand-over it triggered."""
    after = staff_snapshot(staff)
    if before is None:
        audit_record(
            action="staff_change", request=request, object_repr=f"staff:{staff.username}", detail={"created": after}
        )
        return
    changes = {field: [before[field], after[field]] for field in after if before[field] != after[field]}
    if not changes:
        return
    audit_record(action="staff_change", request=request, object_repr=f"staff:{staff.username}", detail=changes)
    if "status" in changes and after["status"] in ("exited", "transferred"):
        audit_record(
            action="handover",
            request=request,
            object_repr=f"staff:{staff.username}",
            detail={"reason": after["status"], "team": before["team"]},
        )


def audit_evaluation_create(*, request, evaluation) -> None:
    audit_record(
        action="evaluation_create",
        request=request,
        object_repr=f"evaluation:{evaluation.pk}",
        detail={
            "staff": evaluation.staff.username,
            "cycle": evaluation.cycle.code,
            "total": str(evaluation.total),
            "decision": evaluation.decision,
        },
    )


def audit_evaluation_override(*, request, evaluation, previous: str) -> None:
    """Every override is kept here, in order: the evaluation row holds only the latest."""
    audit_record(
        action="evaluation_override",
        request=request,
        object_repr=f"evaluation:{evaluation.pk}",
        detail={
            "staff": evaluation.staff.username,
            "cycle": evaluation.cycle.code,
            "decision": evaluation.decision,
            "from": previous,
            "to": evaluation.final_decision,
            "reason": evaluation.override_reason,
        },
    )
