"""How sitadmin writes money for people: ¥35,327.60 (yuan, thousands separators, two decimals).

Pages use it through the `money` template filter (a builtin of every template, see
`sitadmin.templatetags.formats`); Python code that builds display strings calls `money_text`.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def money_text(value) -> str:
    """`35327.6` → `¥35,327.60`, `-12` → `-¥12.00`; no amount (None, "") → `—`; other text stays as it is."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"
