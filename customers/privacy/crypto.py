"""Phones at rest: AES-GCM ciphertexts carrying their key id, and keyed HMAC-SHA256 blind indexes.

A stored phone is `<key id>:<base64(nonce ‖ ciphertext ‖ tag)>`, a fresh 96-bit nonce each time, so
equal numbers never look alike. Equality goes through `phone_index` (the first 128 bits of
HMAC-SHA256 of the number, hex): unique per customer, it serves de-duplication and exact search.
`phone_last4_index` (a keyed 63-bit hash of the last four digits) serves last-four search; no
other part of a number can be searched, so a masked `139****4512` cannot be completed by guessing.

The batch forms (`phones_encrypt`, `phones_index`) are the ones imports use on 100,000-row chunks.
"""

import base64
import os
from collections.abc import Iterable, Sequence

from customers.privacy.keys import keyring

NONCE_BYTES = 12
_INDEX_DOMAIN = b"phone:"
_LAST4_DOMAIN = b"last4:"


class PhoneDecryptionError(ValueError):
    """A stored value that no configured key opens (unknown key id, or tampered with)."""


def phones_encrypt(values: Sequence[str]) -> list[str]:
    """Each value encrypted with the current key (one random draw for all the nonces)."""
    ring = keyring()
    encrypt = ring.ciphers[ring.current_id].encrypt
    prefix = f"{ring.current_id}:"
    nonces = os.urandom(NONCE_BYTES * len(values))
    b64 = base64.b64encode
    out = []
    for n, value in enumerate(values):
        nonce = nonces[n * NONCE_BYTES : (n + 1) * NONCE_BYTES]
        out.append(prefix + b64(nonce + encrypt(nonce, value.encode(), None)).decode("ascii"))
    return out


def phone_encrypt(value: str) -> str:
    """`value` (a phone, or a phone cell as it was typed) encrypted with the current key."""
    return phones_encrypt([value])[0]


def phone_decrypt(stored: str) -> str:
    """The plain value of a stored ciphertext, with whichever configured key it names."""
    key_id, _, body = stored.partition(":")
    cipher = keyring().ciphers.get(key_id)
    if cipher is None:
        raise PhoneDecryptionError(f"no phone key {key_id!r} is configured")
    try:
        raw = base64.b64decode(body)
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
    except Exception as exc:  # InvalidTag, bad base64: the value is not ours
        raise PhoneDecryptionError("a stored phone does not decrypt") from exc


def phone_key_id(stored: str) -> str:
    """The id of the key a stored value was encrypted with."""
    return stored.partition(":")[0]


def phones_index(phones: Iterable[str]) -> list[str]:
    """The blind index of each normalised phone."""
    copy = keyring().index_hmac.copy
    out = []
    for phone in phones:
        mac = copy()
        mac.update(_INDEX_DOMAIN + phone.encode())
        out.append(mac.hexdigest()[:32])
    return out


def phone_index(phone: str) -> str:
    return phones_index([phone])[0]


def phone_last4_index(last4: str) -> int:
    """The keyed hash of a number's last four digits (pass the four digits, or the whole number)."""
    mac = keyring().index_hmac.copy()
    mac.update(_LAST4_DOMAIN + last4[-4:].encode())
    # 63 bits: a positive bigint on every database.
    return int.from_bytes(mac.digest()[:8], "big") >> 1


def phones_last4_index(phones: Iterable[str]) -> list[int]:
    """`phone_last4_index` of each phone; ten thousand endings at most, each hashed once."""
    known: dict[str, int] = {}
    out = []
    for phone in phones:
        last4 = phone[-4:]
        value = known.get(last4)
        if value is None:
            value = known[last4] = phone_last4_index(last4)
        out.append(value)
    return out


def phone_columns(phone: str | None) -> dict[str, object]:
    """The stored columns of a customer's phone: ciphertext, blind index, last-four index (all None without one)."""
    if not phone:
        return {"phone_encrypted": None, "phone_index": None, "phone_last4": None}
    return {
        "phone_encrypted": phone_encrypt(phone),
        "phone_index": phone_index(phone),
        "phone_last4": phone_last4_index(phone),
    }
