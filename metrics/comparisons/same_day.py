"""Like-for-like headlines: a provisional cohort is compared on its same-day rate, never on its complete one.

The complete 转粉率 / 进群率 of a day keeps rising for W-1 days after it, so yesterday's complete rate
set against the complete rates of earlier days always looks like a drop. While a day of the range is
provisional, the headline shows and compares the same-day rate (`fan_rate_d0`, `group_join_rate_d0`,
final at the end of the day) of the range, the day before and the 7 days before; complete ranges keep
comparing complete rates.
"""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

# A cohort rate and its same-day reading, with the counts it divides.
SAME_DAY = {
    "fan_rate": ("fan_rate_d0", "requests_converted_d0", "requests"),
    "group_join_rate": ("group_join_rate_d0", "new_fans_grouped_d0", "new_fans"),
}
SAME_DAY_LABELS = {"fan_rate": _("当日转粉率"), "group_join_rate": _("当日进群率")}


def headline_same_day(
    *, headline: dict, current: dict, previous: dict, week: dict, provisional: bool, change: Callable
) -> dict:
    """`headline` switched to its same-day rate when `provisional` and the metric has one; else unchanged.

    `change(current, previous, kind=...)` is the dashboard's comparison. The complete (provisional) rate
    stays beside it as `complete_value`, and `basis_note` says in one line what is compared with what.
    """
    metric = headline["metric"]
    if not provisional or metric not in SAME_DAY:
        return {**headline, "basis": "complete"}
    same_day, numerator, denominator = SAME_DAY[metric]
    value = current.get(same_day)
    fraction = ""
    if current.get(numerator) is not None and current.get(denominator) is not None:
        fraction = f"{current[numerator]:,} / {current[denominator]:,}"
    return {
        **headline,
        "basis": "same_day",
        "label": SAME_DAY_LABELS[metric],
        "complete_value": headline["value"],
        "value": value,
        "fraction": fraction,
        "vs_previous": change(value, previous.get(same_day), kind="rate"),
        "vs_week": change(value, week.get(same_day), kind="rate"),
        "basis_note": _("观察窗口未满：按当日口径与前期的当日口径比较（同口径）"),
    }
