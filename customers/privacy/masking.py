"""What a viewer who may not see a number in full sees instead."""

import re

_DIGIT = re.compile(r"[0-9]")
# A cell with more digits than this keeps its first three and last four, as a number is masked.
_SHOWN_FROM = 8


def phone_mask(phone: str | None) -> str:
    """138****8000: the first three and last four digits of a normalised number."""
    return f"{phone[:3]}****{phone[-4:]}" if phone else ""


def cell_mask(text: str) -> str:
    """A phone cell as typed (possibly no valid number): every digit hidden but the first three and the
    last four when it holds more than eight, none shown otherwise."""
    positions = [m.start() for m in _DIGIT.finditer(text)]
    hidden = set(positions[3:-4] if len(positions) > _SHOWN_FROM else positions)
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))
