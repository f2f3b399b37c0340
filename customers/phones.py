"""Chinese mobile numbers as customers are keyed by them (docs/domain.md §Vocabulary)."""

import re
from collections.abc import Iterable

# Spaces and dashes, stripped before the number is read.
SEPARATORS = re.compile(r"[\s\-]+")
# One optional country prefix (`+86`, `0086`, `86`), then the 11-digit mobile number. ASCII digits only:
# a full-width or other script's digit would make a second customer for the same number.
_PREFIXED_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")


def phones_normalize(values: Iterable[str]) -> list[str | None]:
    """The 11-digit mainland mobile number in each string, or None where it holds none (one pass, for imports
    of a million rows)."""
    mobile, separators = _PREFIXED_MOBILE.fullmatch, SEPARATORS.sub
    return [match[1] if (match := mobile(separators("", value))) else None for value in values]


def phone_normalize(raw) -> str | None:
    """The 11-digit mainland mobile number in `raw`, or None when it is not one."""
    return None if raw is None else phones_normalize([str(raw)])[0]
