"""Importing WeCom's chat archive (会话存档): decrypted messages, one JSON object a line, as WeCom's
archive SDK gives them (`msgid`, `action`, `from`, `tolist`, `roomid`, `msgtime` in ms, `msgtype`,
`text.content`).

Each `send` of a `text` becomes a `message` event with id `msgid`: `out` when `from` is a staff
member's `wecom_userid` (the customer: the first of `tolist` who is not staff), otherwise `in` (the
customer: `from`; the staff of a private chat: the staff member in `tolist`); `group` from `roomid`.
Other lines are skipped. Lines go to event ingestion in chunks, so a file costs a fixed number of
queries per chunk, and importing it again stores nothing new.
"""

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from customers.events.services import events_ingest
from customers.models import EventType
from customers.wecom.groups import groups_for_wecom_chats
from customers.wecom.selectors import staff_usernames_by_wecom_userid

MAX_CHAT_ID_LENGTH = 64
# Lines stored per ingestion batch. An archive holds many messages per customer: larger batches look
# up and restage each customer fewer times (50,000 ran ~40% faster than the API's 10,000 in bench/).
ARCHIVE_CHUNK_LINES = 50_000


@dataclass
class ArchiveImportResult:
    accepted: int = 0
    duplicates: int = 0
    skipped: int = 0
    lines: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "errors": self.errors,
        }


class _LineError(Exception):
    pass


def wecom_archive_import(
    *,
    lines: Iterable[bytes | str],
    chunk_lines: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ArchiveImportResult:
    """Store the text messages of `lines`; a line that is not JSON or lacks `msgid` is an error
    naming the line, and the other lines are still imported. `progress(n)` gets the bytes read."""
    chunk_lines = chunk_lines or ARCHIVE_CHUNK_LINES
    result = ArchiveImportResult()
    staff = staff_usernames_by_wecom_userid()
    numbered = ((number, raw) for number, raw in enumerate(lines, start=1) if raw.strip())
    while chunk := list(islice(numbered, chunk_lines)):
        events: list[dict] = []
        line_numbers: list[int] = []
        for number, raw in chunk:
            result.lines += 1
            try:
                event = _archive_event(raw, staff)
            except _LineError as exc:
                result.errors.append(_error(number, _msgid(raw), str(exc)))
                continue
            if event is None:
                result.skipped += 1
                continue
            events.append(event)
            line_numbers.append(number)
        groups = groups_for_wecom_chats(chat_ids={event["group"] for event in events if "group" in event})
        for event in events:
            if "group" in event:
                event["group"] = groups[event["group"]]
        if events:
            ingested = events_ingest(events=events)
            result.accepted += ingested.accepted
            result.duplicates += ingested.duplicates
            result.errors.extend(
                _error(line_numbers[error["index"]], error["id"], error["error"]) for error in ingested.errors
            )
        if progress is not None:
            progress(sum(len(raw) for _, raw in chunk))
    result.errors.sort(key=lambda error: error["line"])
    return result


def _archive_event(raw: bytes | str, staff: dict[str, str]) -> dict | None:
    """The message event of one line, or None for a line that is no customer's text message."""
    try:
        message = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _LineError("not JSON") from exc
    if not isinstance(message, dict):
        raise _LineError("not a JSON object")
    msgid = message.get("msgid")
    if not isinstance(msgid, str) or not msgid.strip():
        raise _LineError("msgid: missing")
    if message.get("action") != "send" or message.get("msgtype") != "text":
        return None
    sender = message.get("from")
    if not isinstance(sender, str) or not sender:
        raise _LineError("from: missing")
    recipients = message.get("tolist") or []
    if not isinstance(recipients, list):
        raise _LineError("tolist: must be a list")
    recipients = [r for r in recipients if isinstance(r, str) and r]
    room = message.get("roomid") or ""
    if not isinstance(room, str) or len(room) > MAX_CHAT_ID_LENGTH:
        raise _LineError(f"roomid: a chat id of at most {MAX_CHAT_ID_LENGTH} characters")
    content = message.get("text")
    event = {
        "id": msgid,
        "type": EventType.MESSAGE,
        "at": _msgtime(message.get("msgtime")),
        "text": content.get("content", "") if isinstance(content, dict) else "",
    }
    if sender in staff:
        customer = next((r for r in recipients if r not in staff), None)
        if customer is None:
            return None  # between staff members: no customer's conversation
        event.update(direction="out", staff=staff[sender], external_id=customer)
    else:
        event.update(direction="in", external_id=sender)
        member = next((r for r in recipients if r in staff), None)
        if member is not None and not room:
            event["staff"] = staff[member]
    if room:
        event["group"] = room
    return event


def _msgtime(value) -> dt.datetime:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _LineError("msgtime: missing")
    try:
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise _LineError("msgtime: not a time in milliseconds") from exc


def _msgid(raw: bytes | str) -> str | None:
    try:
        msgid = json.loads(raw).get("msgid")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
    return msgid if isinstance(msgid, str) else None


def _error(line: int, msgid: str | None, error: str) -> dict:
    return {"index": line - 1, "line": line, "id": msgid, "error": f"line {line}: {error}"}
