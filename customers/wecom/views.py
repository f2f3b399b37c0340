"""`/wecom/callback/`: WeCom's URL verification (GET) and event callbacks (POST).

No login and no CSRF token: WeCom signs every request, and the signature is checked before the
body is trusted. A POST is stored and answered `success` at once (WeCom waits at most 5 s); its
events are made after commit by a Celery task. Rejected attempts are logged without their payload.
"""

import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from customers.wecom.crypto import (
    MAX_BODY_BYTES,
    CallbackRejected,
    callback_decrypt,
    url_verification_answer,
    wecom_crypto,
)
from customers.wecom.services import callback_receive

logger = logging.getLogger(__name__)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wecom_callback(request):
    crypto = wecom_crypto()
    if crypto is None:
        logger.error("WeCom callback refused: WECOM_CORP_ID, WECOM_TOKEN and WECOM_ENCODING_AES_KEY are not all set")
        return HttpResponse("WeCom is not configured", status=503, content_type="text/plain")
    try:
        if request.method == "GET":
            echo = url_verification_answer(crypto=crypto, params=request.GET)
            return HttpResponse(echo, content_type="text/plain; charset=utf-8")
        _check_length(request.META.get("CONTENT_LENGTH"))
        fields, text = callback_decrypt(crypto=crypto, params=request.GET, body=request.body)
    except CallbackRejected as exc:
        logger.warning(
            "WeCom callback rejected: %s %s from %s: %s",
            request.method,
            exc.status,
            request.META.get("REMOTE_ADDR", "?"),
            exc.reason,
        )
        return HttpResponse(status=exc.status)
    callback_receive(fields=fields, body=text)
    return HttpResponse("success", content_type="text/plain")


def _check_length(header: str | None) -> None:
    """Refuse an oversized body before reading it."""
    try:
        length = int(header or 0)
    except ValueError as exc:
        raise CallbackRejected(status=400, reason="bad Content-Length") from exc
    if length > MAX_BODY_BYTES:
        raise CallbackRejected(status=400, reason=f"body larger than {MAX_BODY_BYTES} bytes")
