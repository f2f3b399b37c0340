"""Text that PostgreSQL and JSON answers can hold.

PostgreSQL refuses NUL bytes in text, and a lone UTF-16 surrogate (JSON allows `"\\ud800"`) cannot be
encoded as UTF-8: either would end a request in a 500. Input is checked with `text_is_storable`;
text echoed back (an error naming a bad id) goes through `text_clean`.
"""

import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_is_storable(value: str) -> bool:
    return _UNSTORABLE.search(value) is None


def text_clean(value: str) -> str:
    """The text with NUL bytes and lone surrogates replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", value)


def data_find_bad_text(data: Any, path: str = "") -> str | None:
    """The path (`events.3.text`) of the first string or key in `data` that is not storable, or None."""
    stack = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if not text_is_storable(value):
                return where or "body"
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{where}.{key}" if where else str(key)
                if not text_is_storable(str(key)):
                    return text_clean(child)
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{where}.{index}" if where else str(index), item) for index, item in enumerate(value))
    return None
