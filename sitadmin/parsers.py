"""The API's JSON parser: nesting depth checked before parsing, unstorable text refused."""

import codecs
import json
import re

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from sitadmin.text import data_find_bad_text

# Strings are skipped when counting brackets: a "[" inside a text does not nest anything.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
BAD_TEXT = gettext_lazy("不能包含空字符或无效字符")


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, without parsing it."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", body))
    depth = deepest = 0
    for byte in brackets:
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class DepthLimitedJSONParser(JSONParser):
    """JSONParser that answers 400 for a body nested deeper than `JSON_MAX_DEPTH` (checked on the raw
    bytes, before Python's recursive parser runs) and for a NUL byte or a lone surrogate anywhere in
    the data. A view whose items are checked one by one (a batch) sets `per_item_text_check = True`
    and reports such text per item instead.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read() if stream is not None else b""
        limit = settings.JSON_MAX_DEPTH
        if json_depth(body) > limit:
            raise ParseError(gettext("JSON 嵌套过深：超过 %(limit)s 层") % {"limit": limit})
        try:
            data = json.loads(codecs.decode(body, encoding), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        view = parser_context.get("view")
        if not getattr(view, "per_item_text_check", False):
            where = data_find_bad_text(data)
            if where is not None:
                raise ParseError({where: [BAD_TEXT]})
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")
