"""Phone normalisation, one value and column-wise (docs/domain.md §Vocabulary), and why a phone is refused."""

import pytest

from customers.imports.rows import phone_problem
from customers.phones import phone_normalize, phones_normalize

TABLE = [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("+8613800138000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("008613800138000", "13800138000"),
    ("0086 138 0013 8000", "13800138000"),
    ("8613800138000", "13800138000"),
    ("86 19912345678", "19912345678"),
    ("\t13800138000 ", "13800138000"),
    ("1380013800", None),
    ("138001380001", None),
    ("12800138000", None),
    ("23800138000", None),
    ("+1 415 555 0100", None),
    ("+86+8613800138000", None),
    ("8686138001380", None),
    ("861380013800", None),
    ("0013800138000", None),
    ("13800138000x", None),
    ("１３８００１３８０００", None),
    # Digits of other scripts after an ASCII "13": the same number must not become a second customer.
    ("138００１３８０００", None),
    ("13٨00138000", None),
    ("", None),
    ("   ", None),
]


@pytest.mark.parametrize(("raw", "expected"), TABLE)
def test_single_value(raw, expected):
    assert phone_normalize(raw) == expected


def test_column_wise():
    assert phones_normalize([raw for raw, _ in TABLE]) == [expected for _, expected in TABLE]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "缺少手机号"),
        (" - ", "缺少手机号"),
        ("1380013800", "号码位数不对"),
        ("+86 138001380001", "号码位数不对"),
        ("23800138000", "不是大陆手机号"),
        ("+1 415 555 0100", "不是大陆手机号"),
        ("138００１３８０", "不是大陆手机号"),
    ],
)
def test_reasons(raw, reason):
    assert phone_problem(raw) == reason
