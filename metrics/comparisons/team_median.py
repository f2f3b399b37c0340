"""A staff member's KPI against their team's median: one rule for the staff board and the evaluation evidence.

The median is taken over the team members with a value (a rate whose denominator is 0 is no value, not 0).
"""

import statistics
from collections.abc import Iterable


def team_median(values: Iterable[float | None]) -> float | None:
    """The median of the values present; None when nobody has one."""
    present = [float(v) for v in values if v is not None]
    return statistics.median(present) if present else None


def versus_median(value, median: float | None) -> str:
    """`above`, `below`, or "" when equal or either side is missing."""
    if value is None or median is None or float(value) == median:
        return ""
    return "above" if float(value) > median else "below"
