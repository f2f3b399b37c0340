"""WeCom customer groups (客户群) as sitadmin groups, created the first time a chat id shows up."""

import hashlib
import re

from campaigns.models import Group
from customers.wecom.selectors import group_codes_by_wecom_chat_id

_CODE = re.compile(r"[-\w]{1,64}")


def groups_for_wecom_chats(*, chat_ids: set[str]) -> dict[str, str]:
    """Group code by chat id; an unknown chat becomes a group whose code is the chat id (when it is a
    usable code not taken yet) or `wecom-` and a hash of it. Two queries when every chat is known."""
    chat_ids = {chat_id for chat_id in chat_ids if chat_id}
    if not chat_ids:
        return {}
    found = group_codes_by_wecom_chat_id(chat_ids=chat_ids)
    missing = chat_ids - set(found)
    if missing:
        wanted = {chat_id: _code_for(chat_id) for chat_id in missing}
        taken = set(Group.objects.filter(code__in=wanted.values()).values_list("code", flat=True))
        codes = {
            chat_id: code if code not in taken else _hashed_code(chat_id) for chat_id, code in sorted(wanted.items())
        }
        # A chat created meanwhile by a concurrent callback or import is skipped here and read below.
        Group.objects.bulk_create(
            [Group(code=code, name="", wecom_chat_id=chat_id) for chat_id, code in codes.items()],
            ignore_conflicts=True,
        )
        found = group_codes_by_wecom_chat_id(chat_ids=chat_ids)
    return found


def _code_for(chat_id: str) -> str:
    return chat_id if _CODE.fullmatch(chat_id) else _hashed_code(chat_id)


def _hashed_code(chat_id: str) -> str:
    return "wecom-" + hashlib.sha256(chat_id.encode()).hexdigest()[:16]
