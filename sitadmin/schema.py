"""OpenAPI post-processing: the schema says what the API accepts, and every status it can answer.

Request bodies without a file are JSON. Query parameters: an optional one sent empty counts as not
sent (`allowEmptyValue`), `page` and `page_size` are whole numbers from 1, and a `page_size` above
1000 gives pages of 1000 (`sitadmin.pagination`). A record's code (a staff member's username) names
it in its URL and cannot change (`FixedCodeMixin`): the bodies of PUT and PATCH leave it out.

Views document their success answers; the answers every operation shares are added here once:
400 (bad parameters or body, or text the database cannot store, which the middleware refuses on
any URL), 401 and 403 (authentication and role), 404 on a path with an identifier, 409 on a delete
of a record still in use, 429 where a throttle or the lockout applies, 405 for a method a role's
view does not offer. Each is a JSON object (`{"detail": ...}` or errors by field).
"""

import copy

from sitadmin.drf import FixedCodeMixin
from sitadmin.pagination import PageSizePagination

ERROR_BODY = {
    "application/json": {
        "schema": {
            "type": "object",
            "additionalProperties": True,
            "description": '`{"detail": "..."}`, or `{"<field>": ["..."]}` for bad input',
        }
    }
}
DESCRIPTIONS = {
    "400": "bad parameters or body (errors by field)",
    "401": "not signed in, or the token is invalid or expired",
    "403": "signed in, but the role may not do this",
    "404": "no such record, or not visible to this user",
    "405": "method not allowed",
    "409": "still referenced by other records, or in a state that does not allow it",
    "429": "too many requests, or sign-ins locked after repeated failures",
}
THROTTLED = ("/api/v1/auth/token/", "/api/v1/events/", "/reveal-phone/")
PAGE_BOUNDS = {"page": {"minimum": 1}, "page_size": {"minimum": 1}}
PAGE_SIZE_NOTE = f"Rows per page; above {PageSizePagination.max_page_size} gives {PageSizePagination.max_page_size}."


def _operations(result):
    """(path, method, operation) of every operation in the schema (a path item also holds other keys)."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict):
                yield path, method, operation


def document_query_parameters(result, generator, request, public):
    for _path, _method, operation in _operations(result):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            parameter.setdefault("schema", {}).update(PAGE_BOUNDS.get(parameter["name"], {}))
            if parameter["name"] == "page_size":
                parameter["description"] = PAGE_SIZE_NOTE
            if not parameter.get("required"):
                parameter["allowEmptyValue"] = True
    return result


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


# Holds a character that is not white space as Python's str.strip() sees it (DRF trims text first).
NOT_ONLY_SPACE = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# Bodies whose serializer refuses a field it does not know (400 naming it) rather than ignoring it.
CLOSED_BODIES = ("PatchedCustomerUpdateRequest",)


def document_request_bodies(result, generator, request, public):
    """Closed bodies say `additionalProperties: false`; an uploaded file is never empty (Django's
    FileField refuses an empty one); a text that may not be blank is trimmed first, so it holds
    something other than white space (`NOT_ONLY_SPACE`)."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in CLOSED_BODIES:
        schemas[name]["additionalProperties"] = False
    for name, schema in schemas.items():
        for field in _fields(schema):
            if field.get("format") == "binary":
                field["minLength"] = 1
            elif name.endswith("Request") and field.get("type") == "string" and field.get("minLength") == 1:
                field.setdefault("pattern", NOT_ONLY_SPACE)
    return result


def _fields(schema: dict):
    """The properties of an object schema, and of the objects in its arrays, however deep."""
    for field in schema.get("properties", {}).values():
        yield field
        yield from _fields(field)
        if isinstance(field.get("items"), dict):
            yield field["items"]
            yield from _fields(field["items"])


def document_json_bodies(result, generator, request, public):
    """The API is JSON: a body that carries no file is documented as JSON only (forms are parsed too,
    for the browsable API, but a form cannot say `null`, an empty list or a number); one that carries
    a file, as multipart only."""
    schemas = result.get("components", {}).get("schemas", {})
    for _path, _method, operation in _operations(result):
        content = operation.get("requestBody", {}).get("content", {})
        media = next(iter(content.values()), {})
        name = media.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
        properties = schemas.get(name, {}).get("properties", {})
        if any(field.get("format") == "binary" for field in properties.values()):
            # A urlencoded form cannot carry a file.
            content.pop("application/x-www-form-urlencoded", None)
        elif "application/json" in content:
            for media_type in FORM_TYPES:
                content.pop(media_type, None)
    return result


def keep_fixed_codes_out_of_updates(result, generator, request, public):
    schemas = result.get("components", {}).get("schemas", {})
    for path, _regex, method, view in generator.endpoints:
        view_class = getattr(view, "cls", None)
        if method not in ("PUT", "PATCH") or not (view_class and issubclass(view_class, FixedCodeMixin)):
            continue
        operation = result["paths"].get(path, {}).get(method.lower())
        field = view_class.fixed_field()
        for media in (operation or {}).get("requestBody", {}).get("content", {}).values():
            name = media.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
            if field not in schemas.get(name, {}).get("properties", {}):
                continue
            if method == "PUT":
                # The request component is the create body too: the PUT body is a copy without the code.
                update = name.removesuffix("Request") + "UpdateRequest"
                schemas[update] = copy.deepcopy(schemas[name])
                media["schema"]["$ref"] = f"#/components/schemas/{update}"
                name = update
            schemas[name]["properties"].pop(field)
            required = [other for other in schemas[name].get("required", []) if other != field]
            schemas[name].pop("required", None)
            if required:
                schemas[name]["required"] = required
    return result


def document_error_responses(result, generator, request, public):
    for path, method, operation in _operations(result):
        if "responses" not in operation:
            continue
        codes = ["400", "404", "405"]
        if operation.get("security") != [] and not any(auth == {} for auth in operation.get("security", [])):
            codes += ["401", "403"]
        elif path == "/api/v1/auth/token/":
            codes += ["401"]
        if method == "delete":
            codes.append("409")
        if method == "post":
            codes.append("409")
        if any(marker in path for marker in THROTTLED):
            codes.append("429")
        # An export answers its errors in the format asked for (`format=csv|xlsx`) too.
        content = dict(ERROR_BODY)
        for media_type in operation["responses"].get("200", {}).get("content", {}):
            content.setdefault(media_type, {"schema": {}})
        for code in codes:
            operation["responses"].setdefault(code, {"description": DESCRIPTIONS[code], "content": content})
    return result
