"""OpenAPI post-processing: every status an operation can answer is in the schema.

Views document their success answers; the answers every operation shares are added here once:
400 (bad parameters or body, or text the database cannot store, which the middleware refuses on
any URL), 401 and 403 (authentication and role), 404 on a path with an identifier, 409 on a delete
of a record still in use, 429 where a throttle or the lockout applies, 405 for a method a role's
view does not offer. Each is a JSON object (`{"detail": ...}` or errors by field).
"""

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


def document_error_responses(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
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
