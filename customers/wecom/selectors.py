"""Reads of the WeCom bridge: who is who in WeCom's ids."""

from campaigns.models import ChannelCode, Group
from staff.models import Staff


def staff_usernames_by_wecom_userid(*, userids: set[str] | None = None) -> dict[str, str]:
    """Username by `wecom_userid`, for the given ids (all staff carrying one when None)."""
    staff = Staff.objects.exclude(wecom_userid="")
    if userids is not None:
        staff = staff.filter(wecom_userid__in=userids)
    return dict(staff.values_list("wecom_userid", "user__username"))


def group_codes_by_wecom_chat_id(*, chat_ids: set[str]) -> dict[str, str]:
    """Group code by `wecom_chat_id`, for the groups already known."""
    return dict(Group.objects.filter(wecom_chat_id__in=chat_ids).values_list("wecom_chat_id", "code"))


def channel_code_exists(*, code: str) -> bool:
    return ChannelCode.objects.filter(code=code).exists()
