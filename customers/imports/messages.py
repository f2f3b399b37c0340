"""What an import says about a file or a row, in the reader's language.

A row's reason and a failed job's error are stored in Chinese, the source language, so one report
reads the same whoever uploaded the file and wherever it ran (request, Celery worker, command line);
a file's problem is raised the same way. `message_text` shows such a text in the active language:
the request's on the imports page and in the API, `LANGUAGE_CODE` on the command line.
"""

import re

from django.utils.translation import gettext, gettext_noop

# Row reasons (stored in ImportRowError.reason).
MISSING_PHONE = gettext_noop("缺少手机号")
WRONG_DIGITS = gettext_noop("号码位数不对")
NOT_MAINLAND = gettext_noop("不是大陆手机号")
MISSING_ORDER_NO = gettext_noop("缺少订单号")
ORDER_NO_TOO_LONG = gettext_noop("订单号太长（最多 64 个字符）")
BAD_AMOUNT = gettext_noop("金额不对：须为不小于 0 的数字，最多两位小数")
BAD_TIME = gettext_noop("下单时间不对：须为日期和时间，如 2026-11-20 14:30")
DUPLICATE_ROW = gettext_noop("文件内重复，首次出现在第 %(row)s 行")
DUPLICATE_ORDER_NO = gettext_noop("订单号重复，首次出现在第 %(row)s 行")
ORDER_TAKEN = gettext_noop("订单号已属于其他客户")
HELD_ELSEWHERE = gettext_noop("已由其他人跟进：该客户由本组以外的人跟进")

# A file's problems (ImportFileError) and a failed job's error (ImportJob.error).
UNSUPPORTED_TYPE = gettext_noop("文件类型不支持：%(suffix)s，只接受 .csv 和 .xlsx")
NO_PHONE_COLUMN = gettext_noop("缺少手机号列：表头须包含 %(headers)s 之一（现有：%(found)s）")
MISSING_ORDER_COLUMNS = gettext_noop("订单文件缺少列：%(columns)s")
NO_DATA_ROWS = gettext_noop("文件只有表头，没有数据行")
EMPTY_FILE = gettext_noop("文件是空的")
TOO_LARGE = gettext_noop("文件太大：%(size)s 字节，超过上限 %(limit)s 字节")
UNDECODABLE = gettext_noop("无法识别文件编码：请存为 UTF-8 或 GBK 编码的 CSV，或存为 XLSX")
BAD_CSV = gettext_noop("CSV 格式错误：%(error)s")
BAD_XLSX = gettext_noop("不是有效的 XLSX 文件")
FILE_PURGED = gettext_noop("上传的文件已过保留期被删除，请重新上传")
FAILED = gettext_noop("导入失败（%(error)s），可以重新运行")

_MESSAGES = [value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _pattern(message: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(message)  # text, name, text, name, …, text
    body = "".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.*?)" for n, part in enumerate(parts))
    return re.compile(f"^{body}$", re.S)


_PATTERNS = [(_pattern(m), m) for m in _MESSAGES if _PLACEHOLDER.search(m)]


def message_stored(message: str, **params) -> str:
    """The message with its values filled in, in Chinese: the form that is stored and raised."""
    return message % params if params else message


def message_text(stored: str) -> str:
    """A stored or raised import message in the active language; other text is returned as it is."""
    if not stored:
        return stored
    if stored in _MESSAGES:
        return gettext(stored)
    for pattern, message in _PATTERNS:
        found = pattern.match(stored)
        if found:
            return gettext(message) % found.groupdict()
    return stored
