"""Money reads one way everywhere: ¥, thousands separators, two decimals."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from sitadmin.formats import money_text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("35327.6"), "¥35,327.60"),
        (35327.6, "¥35,327.60"),
        ("1299.5", "¥1,299.50"),
        (0, "¥0.00"),
        (Decimal("0.005"), "¥0.01"),  # half up, as a cashier rounds
        (Decimal("-12"), "-¥12.00"),
        (1234567, "¥1,234,567.00"),
        (None, "—"),
        ("", "—"),
        ("n/a", "n/a"),
    ],
)
def test_money_text(value, shown):
    assert money_text(value) == shown


def test_every_template_has_the_money_filter_without_loading_it():
    assert Template("{{ amount|money }}").render(Context({"amount": Decimal("35327.60")})) == "¥35,327.60"
