"""Phones as a viewer may see them, for pages, exports and reports."""

from collections.abc import Iterable, Iterator

from customers.privacy.crypto import phone_decrypt
from customers.privacy.masking import cell_mask
from staff.roles import is_manager


def phones_shown_in_full(*, user) -> bool:
    """Whether `user` sees every number in full in lists and reports (managers); others see them masked."""
    return is_manager(user)


def row_report_shown(rows: Iterable[tuple[int, str, str, str]], *, full: bool) -> Iterator[tuple[int, str, str]]:
    """(row, value, reason) of each (row, value, phone_encrypted, reason) of an import's row report: a phone
    cell decrypted, and masked unless `full`."""
    for row, value, encrypted, reason in rows:
        if encrypted:
            cell = phone_decrypt(encrypted)
            value = cell if full else cell_mask(cell)
        yield row, value, reason
