"""Finding customers by phone without ever matching part of a number.

A search term finds a customer by its phone only when it is the whole number (any spelling the
imports accept: spaces, dashes, +86) or exactly its last four digits. Every other run of digits
matches no phone, so a masked number (139****4512) cannot be completed by searching for pieces.
"""

import re

from django.db.models import Q

from customers.phones import phone_normalize
from customers.privacy.crypto import phone_index, phone_last4_index

# A term read as a phone: digits and the punctuation numbers are written with, nothing else.
_PHONE_TERM = re.compile(r"[0-9+\-.()\s]+")


def phone_search_q(term: str) -> Q | None:
    """The condition on a customer's phone columns that `term` asks for, or None when it names no phone."""
    if not _PHONE_TERM.fullmatch(term):
        return None
    digits = re.sub(r"[^0-9]", "", term)
    if len(digits) == 4:
        return Q(phone_last4=phone_last4_index(digits))
    phone = phone_normalize(digits)
    if phone is not None:
        return Q(phone_index=phone_index(phone))
    return None
