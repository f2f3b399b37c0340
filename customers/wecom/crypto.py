"""WeCom's message crypto (企业微信回调加解密) through wechatpy, which follows WeCom's official samples.

A callback is trusted only once its `msg_signature` matches and its ciphertext decrypts to a message
addressed to our corp id; until then nothing of it is parsed beyond the envelope's `Encrypt` field.
"""

import hashlib
import json

import xmltodict
from django.conf import settings
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

# WeCom's callbacks are a few hundred bytes; anything far larger is not one of them.
MAX_BODY_BYTES = 64 * 1024
_MEMBER_LISTS = ("Item",)


class CallbackRejected(Exception):
    """A callback that is not WeCom's, or not readable: answered with `status`, logged with `reason`."""

    def __init__(self, *, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def wecom_crypto() -> WeChatCrypto | None:
    """The crypto of the configured corp, or None while WECOM_* settings are not all set."""
    if not (settings.WECOM_CORP_ID and settings.WECOM_TOKEN and settings.WECOM_ENCODING_AES_KEY):
        return None
    return WeChatCrypto(settings.WECOM_TOKEN, settings.WECOM_ENCODING_AES_KEY, settings.WECOM_CORP_ID)


def _query(params, *names: str) -> list[str]:
    values = [params.get(name) or "" for name in names]
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise CallbackRejected(status=403, reason=f"missing {', '.join(missing)}")
    return values


def _decrypt(decrypt, *args) -> str:
    try:
        return decrypt(*args)
    except InvalidSignatureException as exc:
        raise CallbackRejected(status=403, reason="bad signature") from exc
    except InvalidCorpIdException as exc:
        raise CallbackRejected(status=403, reason="not addressed to our corp id") from exc
    except Exception as exc:  # base64, padding, AES and text errors alike mean "undecryptable"
        raise CallbackRejected(status=403, reason=f"undecryptable ({type(exc).__name__})") from exc


def url_verification_answer(*, crypto: WeChatCrypto, params) -> str:
    """URL verification (GET): the decrypted `echostr`, once the signature over it holds."""
    signature, timestamp, nonce, echostr = _query(params, "msg_signature", "timestamp", "nonce", "echostr")
    return _decrypt(crypto.check_signature, signature, timestamp, nonce, echostr)


def callback_decrypt(*, crypto: WeChatCrypto, params, body: bytes) -> tuple[dict, str]:
    """An event callback (POST): its fields and its decrypted XML text."""
    signature, timestamp, nonce = _query(params, "msg_signature", "timestamp", "nonce")
    if len(body) > MAX_BODY_BYTES:
        raise CallbackRejected(status=400, reason=f"body larger than {MAX_BODY_BYTES} bytes")
    envelope = xml_fields(body)
    encrypted = envelope.get("Encrypt")
    if not isinstance(encrypted, str) or not encrypted:
        raise CallbackRejected(status=400, reason="no Encrypt element")
    text = _decrypt(crypto.decrypt_message, {"Encrypt": encrypted}, signature, timestamp, nonce)
    return xml_fields(text), text


def xml_fields(text: str | bytes) -> dict:
    """The children of a flat `<xml>` document as a dict; `Item` lists stay lists. No DTDs, no entities."""
    head = text[:4096].lower() if isinstance(text, str) else text[:4096].lower().decode("latin-1")
    if "<!doctype" in head or "<!entity" in head:
        raise CallbackRejected(status=400, reason="XML with a DTD")
    try:
        parsed = xmltodict.parse(text, disable_entities=True, force_list=_MEMBER_LISTS)
    except Exception as exc:  # expat errors, bad encodings, entities
        raise CallbackRejected(status=400, reason=f"malformed XML ({type(exc).__name__})") from exc
    root = parsed.get("xml") if isinstance(parsed, dict) else None
    if not isinstance(root, dict):
        raise CallbackRejected(status=400, reason="not an <xml> document")
    return root


def callback_dedup_key(fields: dict) -> str:
    """The same message's fields hash alike however often WeCom re-encrypts and re-sends it."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
