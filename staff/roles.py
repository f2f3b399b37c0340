"""Who a user is in sitadmin, and which rows they may see (docs/domain.md §Vocabulary roles).

Every list, detail, filter and count is scoped through these helpers:
manager (or superuser) sees everything, a team lead their own team, an operator their own rows.
"""

from django.db.models import Q, QuerySet

from staff.models import Staff


def staff_for(user) -> Staff | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def role_for(user) -> str | None:
    """`manager`, `team_lead`, `operator`, or None for a user who is no staff member."""
    if getattr(user, "is_superuser", False):
        return Staff.Role.MANAGER
    staff = staff_for(user)
    return staff.role if staff else None


def is_manager(user) -> bool:
    return role_for(user) == Staff.Role.MANAGER


def scope_by_owner(queryset: QuerySet, user, *, owner_field: str = "owner") -> QuerySet:
    """Rows whose `owner_field` (a Staff foreign key) the user may see."""
    role = role_for(user)
    if role == Staff.Role.MANAGER:
        return queryset
    staff = staff_for(user)
    if role == Staff.Role.TEAM_LEAD and staff.team_id:
        return queryset.filter(**{f"{owner_field}__team_id": staff.team_id})
    if staff is not None:
        return queryset.filter(**{owner_field: staff})
    return queryset.none()


def scope_staff(queryset: QuerySet, user) -> QuerySet:
    """Staff rows the user may see: everyone, their team, or themselves."""
    role = role_for(user)
    if role == Staff.Role.MANAGER:
        return queryset
    staff = staff_for(user)
    if staff is None:
        return queryset.none()
    if role == Staff.Role.TEAM_LEAD and staff.team_id:
        return queryset.filter(Q(team_id=staff.team_id) | Q(pk=staff.pk))
    return queryset.filter(pk=staff.pk)
