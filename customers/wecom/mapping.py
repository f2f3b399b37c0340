"""Turning a decrypted WeCom callback into sitadmin events (the dicts event ingestion takes).

- `change_external_contact` / `add_external_contact`, `add_half_external_contact` → `friend_added`
  (staff: the member with that `UserID`; the customer: `ExternalUserID`; `channel_code`: `State`
  when a channel code of that name exists);
- `change_external_contact` / `del_follow_user` (the customer deleted the member) → `friend_deleted`;
- `change_external_chat` / `update` / `add_member`, `del_member` → `group_joined` / `group_left` for
  each external member of `MemChangeList`, in the group with that `ChatId`;
- anything else is ignored.

Event ids are derived from the callback's hash, so a callback processed twice stores its events once.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from customers.models import EventType
from customers.wecom.groups import groups_for_wecom_chats
from customers.wecom.models import WecomCallback
from customers.wecom.selectors import channel_code_exists, staff_usernames_by_wecom_userid

# External contacts' ids (external_userid) begin so; members' userids are the corp's own names.
EXTERNAL_ID_PREFIXES = ("wm", "wo")
FRIEND_CHANGES = {
    "add_external_contact": EventType.FRIEND_ADDED,
    "add_half_external_contact": EventType.FRIEND_ADDED,
    "del_follow_user": EventType.FRIEND_DELETED,
}
MEMBER_CHANGES = {"add_member": EventType.GROUP_JOINED, "del_member": EventType.GROUP_LEFT}
MAX_ID_LENGTH = 64
MAX_EXTERNAL_ID_LENGTH = 128
Status = WecomCallback.Status


@dataclass
class CallbackOutcome:
    """What a callback becomes: events to store, or why it is ignored or failed."""

    kind: str
    status: str
    events: list[dict] = field(default_factory=list)
    reason: str = ""


class _Unusable(Exception):
    pass


def callback_kind(fields: dict) -> str:
    parts = [fields.get(name) for name in ("Event", "ChangeType", "UpdateDetail")]
    return "/".join(part for part in parts if isinstance(part, str) and part)[:128]


def callback_events(*, fields: dict, dedup_key: str) -> CallbackOutcome:
    """The events of one callback; creates the group of a chat seen for the first time."""
    kind = callback_kind(fields)
    event, change = fields.get("Event"), fields.get("ChangeType")
    try:
        if event == "change_external_contact" and change in FRIEND_CHANGES:
            return CallbackOutcome(kind=kind, status=Status.PROCESSED, events=[_friend_event(fields, dedup_key)])
        if event == "change_external_chat" and change == "update" and fields.get("UpdateDetail") in MEMBER_CHANGES:
            events = _member_events(fields, dedup_key)
            if not events:
                return CallbackOutcome(kind=kind, status=Status.IGNORED, reason="no external member in MemChangeList")
            return CallbackOutcome(kind=kind, status=Status.PROCESSED, events=events)
    except _Unusable as exc:
        return CallbackOutcome(kind=kind, status=Status.FAILED, reason=str(exc))
    return CallbackOutcome(kind=kind, status=Status.IGNORED, reason=f"not recorded by sitadmin: {kind or 'no Event'}")


def _friend_event(fields: dict, dedup_key: str) -> dict:
    userid = _text(fields, "UserID")
    external_id = _text(fields, "ExternalUserID", max_length=MAX_EXTERNAL_ID_LENGTH)
    at = _create_time(fields)
    username = staff_usernames_by_wecom_userid(userids={userid}).get(userid)
    if username is None:
        raise _Unusable(
            f"UserID '{userid}': no staff member has this wecom_userid "
            "(set it on the staff member, then run manage.py wecom_replay)"
        )
    event = {
        "id": f"wecom-{dedup_key[:48]}",
        "type": FRIEND_CHANGES[fields["ChangeType"]],
        "at": at,
        "external_id": external_id,
        "staff": username,
    }
    state = fields.get("State")
    if event["type"] == EventType.FRIEND_ADDED and isinstance(state, str) and state and channel_code_exists(code=state):
        event["channel_code"] = state
    return event


def _member_events(fields: dict, dedup_key: str) -> list[dict]:
    chat_id = _text(fields, "ChatId")
    at = _create_time(fields)
    changes = fields.get("MemChangeList")
    members = changes.get("Item", []) if isinstance(changes, dict) else []
    members = [m.strip() for m in members if isinstance(m, str) and 0 < len(m.strip()) <= MAX_EXTERNAL_ID_LENGTH]
    staff = staff_usernames_by_wecom_userid(userids=set(members))
    externals = [m for m in dict.fromkeys(members) if m not in staff and m.startswith(EXTERNAL_ID_PREFIXES)]
    if not externals:
        return []
    group = groups_for_wecom_chats(chat_ids={chat_id})[chat_id]
    event_type = MEMBER_CHANGES[fields["UpdateDetail"]]
    return [
        {
            "id": "wecom-" + hashlib.sha256(f"{dedup_key}:{member}".encode()).hexdigest()[:48],
            "type": event_type,
            "at": at,
            "external_id": member,
            "group": group,
        }
        for member in externals
    ]


def _text(fields: dict, name: str, *, max_length: int = MAX_ID_LENGTH) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _Unusable(f"{name}: missing")
    if len(value.strip()) > max_length:
        raise _Unusable(f"{name}: longer than {max_length} characters")
    return value.strip()


def _create_time(fields: dict) -> str:
    value = fields.get("CreateTime")
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).isoformat()
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise _Unusable("CreateTime: not a Unix time") from exc
