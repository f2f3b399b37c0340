"""The keys that protect phones, read from settings (set from the environment).

`PHONE_ENCRYPTION_KEYS`: `id:base64key,id:base64key` (AES keys of 16, 24 or 32 bytes), every key
that may still have encrypted a stored value; `PHONE_ENCRYPTION_KEY_ID`: the one new values are
encrypted with. `PHONE_INDEX_KEY`: base64 HMAC key of the blind indexes (it cannot change
without recomputing every index).
"""

import base64
import binascii
import hmac
import re
from dataclasses import dataclass
from hashlib import sha256

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")


@dataclass(frozen=True)
class Keyring:
    ciphers: dict[str, AESGCM]  # by key id
    current_id: str
    index_hmac: "hmac.HMAC"  # keyed, never updated: copied for each value


def _b64_key(text: str, *, name: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}: not base64") from exc


def keyring_parse(*, keys: str, current_id: str, index_key: str) -> Keyring:
    """The keyring of these setting values; ImproperlyConfigured naming the setting at fault."""
    ciphers: dict[str, AESGCM] = {}
    for part in filter(None, (p.strip() for p in keys.split(","))):
        key_id, sep, encoded = part.partition(":")
        if not sep or not KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured("PHONE_ENCRYPTION_KEYS: expected id:base64key,… (id: letters, digits, - or _)")
        secret = _b64_key(encoded, name=f"PHONE_ENCRYPTION_KEYS[{key_id}]")
        if len(secret) not in (16, 24, 32):
            raise ImproperlyConfigured(f"PHONE_ENCRYPTION_KEYS[{key_id}]: an AES key is 16, 24 or 32 bytes")
        ciphers[key_id] = AESGCM(secret)
    if not ciphers:
        raise ImproperlyConfigured("PHONE_ENCRYPTION_KEYS: no key")
    current = current_id or next(iter(ciphers))
    if current not in ciphers:
        raise ImproperlyConfigured(f"PHONE_ENCRYPTION_KEY_ID: {current!r} is not in PHONE_ENCRYPTION_KEYS")
    index_secret = _b64_key(index_key, name="PHONE_INDEX_KEY")
    if len(index_secret) < 16:
        raise ImproperlyConfigured("PHONE_INDEX_KEY: at least 16 bytes")
    return Keyring(ciphers=ciphers, current_id=current, index_hmac=hmac.new(index_secret, digestmod=sha256))


_cached: tuple[tuple[str, str, str], Keyring] | None = None


def keyring() -> Keyring:
    """The keyring of the current settings (parsed again only when they change, as tests do)."""
    global _cached  # noqa: PLW0603 (a one-entry cache of parsed settings)
    values = (settings.PHONE_ENCRYPTION_KEYS, settings.PHONE_ENCRYPTION_KEY_ID, settings.PHONE_INDEX_KEY)
    if _cached is None or _cached[0] != values:
        keys, current_id, index_key = values
        _cached = (values, keyring_parse(keys=keys, current_id=current_id, index_key=index_key))
    return _cached[1]
