"""Reports the managers ask for beside the daily KPIs (docs/domain.md §Imports, issue 4).

`script_report` reads only the precomputed KPI table. The funnel, group-effect and repurchase
reports follow customers over a range, so they aggregate customers, events and orders in the
database (one statement each) at the time they are asked.
"""

import datetime as dt
import math

from django.db import connection
from django.db.models import Sum

from metrics.catalog import ratio
from metrics.models import DailyKpi, Dimension
from sitadmin.dates import day_bounds

Z_95 = 1.959964


def wilson_interval(*, successes: int, trials: int, z: float = Z_95) -> tuple[float | None, float | None]:
    """Wilson score interval of a proportion; (None, None) without trials."""
    if not trials:
        return None, None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def chi_square_p_value(*, a: int, n1: int, b: int, n2: int) -> float | None:
    """Two-sided p of the 2×2 chi-square (no continuity correction): a of n1 against b of n2.

    None when a margin is zero (the statistic is undefined). With one degree of freedom the
    chi-square tail is erfc(sqrt(x²/2)).
    """
    total = n1 + n2
    converted = a + b
    margins = (n1, n2, converted, total - converted)
    if any(m <= 0 for m in margins):
        return None
    x2 = total * (a * (n2 - b) - (n1 - a) * b) ** 2 / math.prod(margins)
    return math.erfc(math.sqrt(x2 / 2))


def script_report(*, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Per script over the range (话术 A/B): `script`, `requests`, `requests_converted`, `fan_rate`
    (Σconverted / Σrequests), `ci_low`/`ci_high` (Wilson 95%, z = 1.959964) and `p_value` (this
    script against all other scripts together, 2×2 chi-square without continuity correction);
    rates and bounds are null without requests, `p_value` when a margin of the table is zero.
    """
    sums = list(
        DailyKpi.objects.filter(dimension=Dimension.SCRIPT, date__gte=date_from, date__lte=date_to)
        .values("key")
        .annotate(requests=Sum("requests"), converted=Sum("requests_converted"))
        .order_by("key")
    )
    total_requests = sum(r["requests"] or 0 for r in sums)
    total_converted = sum(r["converted"] or 0 for r in sums)
    rows = []
    for r in sums:
        n, x = r["requests"] or 0, r["converted"] or 0
        low, high = wilson_interval(successes=x, trials=n)
        rows.append(
            {
                "script": r["key"],
                "requests": n,
                "requests_converted": x,
                "fan_rate": ratio(x, n),
                "ci_low": low,
                "ci_high": high,
                "p_value": chi_square_p_value(a=x, n1=n, b=total_converted - x, n2=total_requests - n),
            }
        )
    return rows


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _range_params(date_from: dt.date, date_to: dt.date) -> dict:
    start, _ = day_bounds(date_from)
    _, end = day_bounds(date_to)
    adapt = connection.ops.adapt_datetimefield_value
    return {"start": adapt(start), "end": adapt(end)}


FUNNEL_STAGES = ("lead", "requested", "fan", "grouped", "buyer", "repeat_buyer")

# A customer enters the funnel at its first event, or when it was created (imported) if that came first.
_FUNNEL_SQL = """
WITH first_event AS (
    SELECT e.customer_id, MIN(e.at) AS first_at FROM customers_event e GROUP BY e.customer_id
),
entered AS (
    SELECT c.id, c.source_id,
           CASE WHEN f.first_at IS NOT NULL AND f.first_at < c.created_at THEN f.first_at ELSE c.created_at END
               AS entered_at
    FROM customers_customer c LEFT JOIN first_event f ON f.customer_id = c.id
),
base AS (
    SELECT ls.code AS source,
           CASE
             WHEN (SELECT COUNT(*) FROM customers_order o WHERE o.customer_id = c.id) >= 2 THEN 5
             WHEN EXISTS (SELECT 1 FROM customers_order o WHERE o.customer_id = c.id) THEN 4
             WHEN EXISTS (SELECT 1 FROM customers_event e
                          WHERE e.customer_id = c.id AND e.type = 'group_joined') THEN 3
             WHEN EXISTS (SELECT 1 FROM customers_event e
                          WHERE e.customer_id = c.id AND e.type = 'friend_added') THEN 2
             WHEN EXISTS (SELECT 1 FROM customers_event e
                          WHERE e.customer_id = c.id AND e.type = 'friend_request_sent') THEN 1
             ELSE 0
           END AS level
    FROM entered c
    JOIN customers_leadsource ls ON ls.id = c.source_id
    WHERE c.entered_at >= %(start)s AND c.entered_at < %(end)s
)
SELECT source, COUNT(*),
       SUM(CASE WHEN level >= 1 THEN 1 ELSE 0 END), SUM(CASE WHEN level >= 2 THEN 1 ELSE 0 END),
       SUM(CASE WHEN level >= 3 THEN 1 ELSE 0 END), SUM(CASE WHEN level >= 4 THEN 1 ELSE 0 END),
       SUM(CASE WHEN level >= 5 THEN 1 ELSE 0 END)
FROM base GROUP BY source ORDER BY source
"""


def _funnel_row(source: str, counts: list[int]) -> dict:
    row = {"source": source, **dict(zip(FUNNEL_STAGES, counts, strict=True))}
    row["conversion"] = {
        f"{prev}_to_{stage}": ratio(row[stage], row[prev])
        for prev, stage in zip(FUNNEL_STAGES, FUNNEL_STAGES[1:], strict=False)
    }
    return row


def funnel_report(*, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Customers who entered in the range (days in TIME_ZONE): at their first event, or when created
    (imported) if that came first; by lead source: how many reached each stage and the conversion
    between consecutive stages.

    A customer reached a stage when the furthest stage its history gives (docs/domain.md §Vocabulary, ignoring
    `lost`: 2+ orders repeat_buyer, 1 order buyer, ever joined a group grouped, ever added fan,
    ever sent a request requested) is that stage or beyond, so every count includes the next one
    and `lead` is every customer created. `conversion["fan_to_grouped"] = grouped / fan`, etc.,
    null when the earlier stage is 0. The last row, source `""`, is the total.
    """
    result = _fetch(_FUNNEL_SQL, _range_params(date_from, date_to))
    rows = [_funnel_row(source, [int(v or 0) for v in values]) for source, *values in result]
    totals = [sum(r[stage] for r in rows) for stage in FUNNEL_STAGES]
    return [*rows, _funnel_row("", totals)]


_GROUP_EFFECT_SQL = """
WITH fans AS (
    SELECT DISTINCT e.customer_id FROM customers_event e
    WHERE e.type = 'friend_added' AND e.at < %(end)s
),
flags AS (
    SELECT f.customer_id,
           CASE WHEN EXISTS (SELECT 1 FROM customers_event g WHERE g.customer_id = f.customer_id
                             AND g.type = 'group_joined' AND g.at < %(end)s) THEN 1 ELSE 0 END AS member,
           CASE WHEN EXISTS (SELECT 1 FROM customers_order o WHERE o.customer_id = f.customer_id
                             AND o.ordered_at >= %(start)s AND o.ordered_at < %(end)s) THEN 1 ELSE 0 END AS buyer
    FROM fans f
)
SELECT member, COUNT(*), SUM(buyer) FROM flags GROUP BY member
"""


def group_effect_report(*, date_from: dt.date, date_to: dt.date) -> dict:
    """Do group members buy more? Among customers added as friends by the end of `date_to`:
    `members` (joined a group by the end of `date_to`) and `non_members`, how many of each
    ordered in the range (`buyers`, from orders of any origin) and their conversion rates
    (`buyers / customers`, null on 0); `lift` = members' rate / non-members' rate.
    """
    counts = {
        int(member): (int(n), int(b or 0))
        for member, n, b in _fetch(_GROUP_EFFECT_SQL, _range_params(date_from, date_to))
    }
    members_n, members_b = counts.get(1, (0, 0))
    others_n, others_b = counts.get(0, (0, 0))
    members_rate = ratio(members_b, members_n)
    others_rate = ratio(others_b, others_n)
    return {
        "members": {"customers": members_n, "buyers": members_b, "conversion_rate": members_rate},
        "non_members": {"customers": others_n, "buyers": others_b, "conversion_rate": others_rate},
        "lift": ratio(members_rate, others_rate),
    }


_REPURCHASE_SQL = """
WITH buyers AS (
    SELECT o.customer_id,
           (SELECT COUNT(*) FROM customers_order p
            WHERE p.customer_id = o.customer_id AND p.ordered_at < %(end)s) AS orders_to_date
    FROM customers_order o
    WHERE o.ordered_at >= %(start)s AND o.ordered_at < %(end)s
    GROUP BY o.customer_id
),
keyed AS (
    SELECT b.customer_id, CASE WHEN b.orders_to_date >= 2 THEN 1 ELSE 0 END AS is_repeat,
           ls.code AS source_key, u.username AS staff_key
    FROM buyers b
    JOIN customers_customer c ON c.id = b.customer_id
    JOIN customers_leadsource ls ON ls.id = c.source_id
    LEFT JOIN customers_ownershipperiod op ON op.customer_id = b.customer_id AND op.started_at < %(end)s
         AND (op.ended_at IS NULL OR op.ended_at >= %(end)s)
    LEFT JOIN staff_staff s ON s.id = op.staff_id
    LEFT JOIN auth_user u ON u.id = s.user_id
)
SELECT 'org', '', COUNT(*), SUM(is_repeat) FROM keyed
UNION ALL
SELECT 'source', source_key, COUNT(*), SUM(is_repeat) FROM keyed GROUP BY source_key
UNION ALL
SELECT 'staff', staff_key, COUNT(*), SUM(is_repeat) FROM keyed WHERE staff_key IS NOT NULL GROUP BY staff_key
"""


def repurchase_report(*, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """复购率 over the range, for the org, by source and by staff: `buyers` are customers with an
    order in the range (orders of any origin), `repeat_buyers` those of them with 2 or more
    orders by the end of `date_to`, `repurchase_rate = repeat_buyers / buyers` (null on 0).
    Staff is the customer's owner at the end of `date_to`.
    """
    rows = []
    for dimension, key, buyers, repeat in _fetch(_REPURCHASE_SQL, _range_params(date_from, date_to)):
        buyers, repeat = int(buyers or 0), int(repeat or 0)
        if dimension != "org" and not buyers:
            continue
        rows.append(
            {
                "dimension": dimension,
                "key": key or "",
                "buyers": buyers,
                "repeat_buyers": repeat,
                "repurchase_rate": ratio(repeat, buyers),
            }
        )
    order = {"org": 0, "source": 1, "staff": 2}
    return sorted(rows, key=lambda r: (order[r["dimension"]], r["key"]))
