"""Schemathesis hooks of the run in test_schemathesis.py (loaded through SCHEMATHESIS_HOOKS).

A code, username, sensitive word or WeCom id names one row: creating a second row with one already taken is a 400
by design (SPEC §5, §6). Generated bodies often repeat a short value such as "0", so a body that carries
a value already drawn for the same collection in this run (or one of the test's own rows) is dropped
before it is sent, and so is a staff update that would take the referenced operator out of service and a
review cycle naming two tiers alike (a rule between list items, which the schema cannot state).
Nothing is changed in what is sent; the API's answers to duplicates and to exited owners are covered
by the API tests (test_api_catalog.py and others).
"""

import schemathesis

UNIQUE_FIELDS = ("code", "username", "word", "wecom_chat_id", "wecom_userid")
# The rows the test and the migrations create.
TAKEN = {"t1", "op1", "st-admin", "tele", "unknown", "vip", "g1", "c1", "sop1"}
TAKEN |= {"user_ops", "learning", "execution", "analysis", "product_selection"}
_drawn: dict[tuple[str, str], set[str]] = {}
# What would take op1, the one staff member every reference is drawn from, out of service (exited, not
# yet joined, another role): an owner or a channel code's staff must be an active operator (400
# otherwise, by design: SPEC §5, §7), so with two workers such an update landing between two other
# requests would fail them at random.
STAFF_UNCHANGED = {"status": {None, "active"}, "role": {None, "operator"}, "joined_on": {None}, "left_on": {None}}


@schemathesis.hook
def filter_body(ctx, body) -> bool:
    body = getattr(body, "value", body)  # a generated value may come wrapped with its metadata
    method = ctx.operation.method.upper() if ctx.operation is not None else ""
    if not isinstance(body, dict) or method not in ("POST", "PUT", "PATCH"):
        return True
    collection = ctx.operation.path.split("/")[3]
    if collection == "review-cycles" and _tier_names_repeat(body.get("tiers")):
        return False
    if collection == "staff" and method in ("PUT", "PATCH"):
        # Compared with ==: a generated value may be a list or an object, which no set can hold.
        if any(all(body.get(field) != value for value in allowed) for field, allowed in STAFF_UNCHANGED.items()):
            return False
    for field in UNIQUE_FIELDS:
        value = body.get(field)
        if not isinstance(value, str):
            continue
        value = value.strip()  # as the API reads it
        drawn = _drawn.setdefault((collection, field), set())
        if value in drawn or value in TAKEN:
            return False
        drawn.add(value)
    return True


@schemathesis.hook
def filter_path_parameters(ctx, path_parameters) -> bool:
    """The run does not delete the rows its references are drawn from (schemathesis.toml)."""
    path_parameters = getattr(path_parameters, "value", path_parameters)
    if ctx.operation is None or ctx.operation.method.upper() != "DELETE" or not isinstance(path_parameters, dict):
        return True
    return not any(value in TAKEN for value in path_parameters.values())


def _tier_names_repeat(tiers) -> bool:
    """A review cycle's tiers have names of their own (400 naming tiers otherwise, by design: SPEC §6)."""
    if not isinstance(tiers, list):
        return False
    names = [tier["name"].strip() for tier in tiers if isinstance(tier, dict) and isinstance(tier.get("name"), str)]
    return len(names) != len(set(names))
