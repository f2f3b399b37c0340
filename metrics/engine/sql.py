"""The set-based statements of the KPI engine: the cohorts, the end-of-day state, the day's activity.

They run unchanged on PostgreSQL and SQLite (CTEs, window functions, UNION ALL). Day boundaries
come in as parameters computed in `TIME_ZONE`, so no statement ever truncates a time to a date.
Parameters: `start` (start of D), `end` (start of D+1), `window_end` (start of D+W), `threshold`.
Each returns `(dimension, key, metric...)` rows, one per key; the engine reads the metrics by column name.

Events are ordered by `(at, client_id)` (docs/metrics.md): "at or after" / "after" an event means a later
time, or the same time and a larger client id, so ties resolve the same whatever the arrival order.
"""

# Facts are first summed per (staff, source[, script]) in a small `cube`; `keyed` names its keys:
# the staff's username, that staff's team on D, the source code and (cohorts) the script code.
# The team on D is the staff member's team period covering D; one who never changed team has no
# period and is in `staff_staff.team_id` on every day.
_KEYED = """
keyed AS (
    SELECT k.*, u.username AS staff_key, t.code AS team_key, ls.code AS source_key{script_key}
    FROM cube k
    JOIN customers_leadsource ls ON ls.id = k.source_id
    LEFT JOIN staff_staff s ON s.id = k.staff_id
    LEFT JOIN auth_user u ON u.id = s.user_id
    LEFT JOIN staff_teammembership tm ON tm.staff_id = s.id
        AND (tm.since IS NULL OR tm.since <= %(day)s) AND (tm.until IS NULL OR tm.until > %(day)s)
    LEFT JOIN staff_team t ON t.id = CASE WHEN tm.id IS NULL THEN s.team_id ELSE tm.team_id END{script_join}
)
"""
_KEYED_WITH_SCRIPT = _KEYED.format(
    script_key=", sc.code AS script_key",
    script_join="\n    LEFT JOIN campaigns_script sc ON sc.id = k.script_id",
)
_KEYED_OWNED = _KEYED.format(script_key="", script_join="")


_BRANCHES = {
    "org": "SELECT 'org', '', {select} FROM keyed",
    "staff": "SELECT 'staff', staff_key, {select} FROM keyed WHERE staff_key IS NOT NULL GROUP BY staff_key",
    "team": "SELECT 'team', team_key, {select} FROM keyed WHERE team_key IS NOT NULL GROUP BY team_key",
    "source": "SELECT 'source', source_key, {select} FROM keyed GROUP BY source_key",
    "script": "SELECT 'script', script_key, {select} FROM keyed WHERE script_key IS NOT NULL GROUP BY script_key",
}


def _sums(*columns: str, zeros: tuple[str, ...] = ()) -> str:
    """`SUM(c) AS c` for each column, then `0 AS z` for the columns this statement leaves to another."""
    return ", ".join([f"SUM({c}) AS {c}" for c in columns] + [f"0 AS {z}" for z in zeros])


def _by_dimensions(select: str, dimensions: tuple[str, ...]) -> str:
    """One aggregate `select` list evaluated per dimension over `keyed`, glued with UNION ALL.

    Only module constants are pasted together here; every value reaches the database as a parameter.
    """
    return "\nUNION ALL\n".join(_BRANCHES[d].format(select=select) for d in dimensions)


# requests / requests_converted: customers whose first friend_request_sent ever is on D, converted
# by a friend_added (any staff) at or after it and before the end of D+W-1.
# new_fans / new_fans_grouped: customers whose first friend_added ever is on D, grouped by a
# group_joined at or after it and before the end of D+W-1; the script is that of the customer's
# first request when that request came before the add.
# The `_d0` counts are the same cohorts converted (grouped) before the end of D itself: one probe per
# request or fan finds the earliest add (join) at or after it in the window, and both counts follow.
_COHORT_FACTS = """
WITH req_day AS (
    SELECT e.customer_id, e.staff_id, e.script_id, e.at, e.client_id,
           ROW_NUMBER() OVER (PARTITION BY e.customer_id ORDER BY e.at, e.client_id) AS rn
    FROM customers_event e
    WHERE e.type = 'friend_request_sent' AND e.at >= %(start)s AND e.at < %(end)s
),
add_day AS (
    SELECT e.customer_id, e.staff_id, e.at, e.client_id,
           ROW_NUMBER() OVER (PARTITION BY e.customer_id ORDER BY e.at, e.client_id) AS rn
    FROM customers_event e
    WHERE e.type = 'friend_added' AND e.at >= %(start)s AND e.at < %(end)s
),
req_facts AS (
    SELECT r.customer_id, r.staff_id, r.script_id,
           (SELECT MIN(a.at) FROM customers_event a
            WHERE a.customer_id = r.customer_id AND a.type = 'friend_added'
              AND a.at >= r.at AND a.at < %(window_end)s
              AND (a.at > r.at OR a.client_id > r.client_id)) AS converted_at
    FROM req_day r
    WHERE r.rn = 1 AND NOT EXISTS (
        SELECT 1 FROM customers_event p
        WHERE p.customer_id = r.customer_id AND p.type = 'friend_request_sent' AND p.at < %(start)s
    )
),
fan_facts AS (
    SELECT a.customer_id, a.staff_id,
           (SELECT p.script_id FROM customers_event p
            WHERE p.customer_id = a.customer_id AND p.type = 'friend_request_sent'
              AND (p.at < a.at OR (p.at = a.at AND p.client_id < a.client_id))
            ORDER BY p.at, p.client_id LIMIT 1) AS script_id,
           (SELECT MIN(g.at) FROM customers_event g
            WHERE g.customer_id = a.customer_id AND g.type = 'group_joined'
              AND g.at >= a.at AND g.at < %(window_end)s
              AND (g.at > a.at OR g.client_id > a.client_id)) AS grouped_at
    FROM add_day a
    WHERE a.rn = 1 AND NOT EXISTS (
        SELECT 1 FROM customers_event p
        WHERE p.customer_id = a.customer_id AND p.type = 'friend_added' AND p.at < %(start)s
    )
),
facts AS (
    SELECT customer_id, staff_id, script_id, 1 AS requests,
           CASE WHEN converted_at IS NULL THEN 0 ELSE 1 END AS requests_converted,
           CASE WHEN converted_at < %(end)s THEN 1 ELSE 0 END AS requests_converted_d0,
           0 AS new_fans, 0 AS new_fans_grouped, 0 AS new_fans_grouped_d0
    FROM req_facts
    UNION ALL
    SELECT customer_id, staff_id, script_id, 0 AS requests, 0 AS requests_converted, 0 AS requests_converted_d0,
           1 AS new_fans, CASE WHEN grouped_at IS NULL THEN 0 ELSE 1 END AS new_fans_grouped,
           CASE WHEN grouped_at < %(end)s THEN 1 ELSE 0 END AS new_fans_grouped_d0
    FROM fan_facts
),
cube AS (
    SELECT f.staff_id, f.script_id, c.source_id, SUM(f.requests) AS requests,
           SUM(f.requests_converted) AS requests_converted, SUM(f.new_fans) AS new_fans,
           SUM(f.new_fans_grouped) AS new_fans_grouped, SUM(f.requests_converted_d0) AS requests_converted_d0,
           SUM(f.new_fans_grouped_d0) AS new_fans_grouped_d0
    FROM facts f JOIN customers_customer c ON c.id = f.customer_id
    GROUP BY f.staff_id, f.script_id, c.source_id
),
"""
COHORT_SQL = (
    _COHORT_FACTS
    + _KEYED_WITH_SCRIPT
    + _by_dimensions(
        _sums(
            "requests",
            "requests_converted",
            "new_fans",
            "new_fans_grouped",
            "requests_converted_d0",
            "new_fans_grouped_d0",
        ),
        ("org", "staff", "team", "source", "script"),
    )
)

# Group membership at the end of D: per (customer, group) the latest join/leave is a join (on equal
# times the larger event id is the later one).
MEMBERS_CTES = """
membership AS (
    SELECT e.customer_id, e.group_id,
           MAX(CASE WHEN e.type = 'group_joined' THEN e.at END) AS joined_at,
           MAX(CASE WHEN e.type = 'group_left' THEN e.at END) AS left_at
    FROM customers_event e
    WHERE e.type IN ('group_joined', 'group_left') AND e.at < %(end)s
    GROUP BY e.customer_id, e.group_id
),
members AS (
    SELECT m.customer_id, m.group_id FROM membership m
    WHERE m.joined_at IS NOT NULL AND (
        m.left_at IS NULL OR m.joined_at > m.left_at
        OR (m.joined_at = m.left_at AND (
            SELECT x.type FROM customers_event x
            WHERE x.customer_id = m.customer_id AND x.group_id = m.group_id
              AND x.type IN ('group_joined', 'group_left') AND x.at = m.joined_at
            ORDER BY x.client_id DESC LIMIT 1) = 'group_joined'))
)"""

# Friends at the end of D: the latest friend_added/friend_deleted up to the end of D is an add.
_FANS_CTES = """
WITH friendship AS (
    SELECT e.customer_id,
           MAX(CASE WHEN e.type = 'friend_added' THEN e.at END) AS added_at,
           MAX(CASE WHEN e.type = 'friend_deleted' THEN e.at END) AS deleted_at
    FROM customers_event e
    WHERE e.type IN ('friend_added', 'friend_deleted') AND e.at < %(end)s
    GROUP BY e.customer_id
),
fans AS (
    SELECT f.customer_id FROM friendship f
    WHERE f.added_at IS NOT NULL AND (
        f.deleted_at IS NULL OR f.added_at > f.deleted_at
        OR (f.added_at = f.deleted_at AND (
            SELECT x.type FROM customers_event x
            WHERE x.customer_id = f.customer_id AND x.type IN ('friend_added', 'friend_deleted')
              AND x.at = f.added_at
            ORDER BY x.client_id DESC LIMIT 1) = 'friend_added'))
),
"""
# Facts are counted under the customer's owner at the end of D, that staff's team and the customer's source.
# The owner's period is joined directly rather than through a CTE of all periods open at the end of D:
# PostgreSQL plans both alike, while SQLite would scan such a CTE once per fact.
_OWNER_AT_END_JOIN = """
    LEFT JOIN customers_ownershipperiod oe ON oe.customer_id = f.customer_id
        AND oe.started_at < %(end)s AND (oe.ended_at IS NULL OR oe.ended_at >= %(end)s)"""
_OWNER_CUBE = "".join(
    (
        """
cube AS (
    SELECT oe.staff_id, c.source_id, SUM(f.fans_total) AS fans_total, SUM(f.group_members) AS group_members,
           SUM(f.active_customers) AS active_customers, SUM(f.speakers) AS speakers, SUM(f.lost) AS lost,
           SUM(f.chats) AS chats, SUM(f.chats_replied) AS chats_replied, SUM(f.reply_seconds) AS reply_seconds,
           SUM(f.orders) AS orders, SUM(f.revenue_cents) AS revenue_cents, SUM(f.buyers) AS buyers
    FROM facts f
    JOIN customers_customer c ON c.id = f.customer_id""",
        _OWNER_AT_END_JOIN,
        """
    GROUP BY oe.staff_id, c.source_id
),
""",
    )
)

# The state at the end of D: friends and group members, per customer and per group.
_HELD_CTES = "".join(
    (
        _FANS_CTES,
        MEMBERS_CTES,
        """,
facts AS (
    SELECT customer_id, 1 AS fans_total, 0 AS group_members FROM fans
    UNION ALL
    SELECT DISTINCT customer_id, 0 AS fans_total, 1 AS group_members FROM members
),
-- Only the two sums this statement computes: narrow rows through the joins and the grouping.
cube AS (
    SELECT oe.staff_id, c.source_id, SUM(f.fans_total) AS fans_total, SUM(f.group_members) AS group_members,
           0 AS active_customers, 0 AS speakers, 0 AS lost, 0 AS chats, 0 AS chats_replied,
           CAST(0 AS DOUBLE PRECISION) AS reply_seconds, 0 AS orders, 0 AS revenue_cents, 0 AS buyers
    FROM facts f
    JOIN customers_customer c ON c.id = f.customer_id""",
        _OWNER_AT_END_JOIN,
        """
    GROUP BY oe.staff_id, c.source_id
),
group_facts AS (
    SELECT group_id, COUNT(*) AS group_members, 0 AS speakers, 0 AS joins, 0 AS leaves
    FROM members
    GROUP BY group_id
),
""",
    )
)

# The day's messages, deletions and orders, per customer; group speakers, joins and leaves per group.
# `{reply_seconds}` is the vendor's expression for the seconds from `rp.in_at` to `rp.out_at`.
_DAY_CTES = "".join(
    (
        """
WITH
-- The day's messages, read once: activity, replies and group speakers all come from this one set.
day_msg AS (
    SELECT e.customer_id, e.group_id, e.direction, e.at, e.client_id
    FROM customers_event e
    WHERE e.type = 'message' AND e.at >= %(start)s AND e.at < %(end)s
),
msg_in AS (
    SELECT m.customer_id,
           CASE WHEN COUNT(*) >= %(threshold)s THEN 1 ELSE 0 END AS active,
           MAX(CASE WHEN m.group_id IS NOT NULL THEN 1 ELSE 0 END) AS speaker,
           MIN(CASE WHEN m.group_id IS NULL THEN m.at END) AS first_in
    FROM day_msg m
    WHERE m.direction = 'in'
    GROUP BY m.customer_id
),
reply AS (
    SELECT mi.customer_id, mi.first_in AS in_at, MIN(m.at) AS out_at
    FROM msg_in mi
    JOIN day_msg m ON m.customer_id = mi.customer_id
    WHERE m.direction = 'out' AND m.group_id IS NULL AND m.at >= mi.first_in
      AND (m.at > mi.first_in OR m.client_id > (
          SELECT MIN(x.client_id) FROM customers_event x
          WHERE x.customer_id = mi.customer_id AND x.type = 'message' AND x.direction = 'in'
            AND x.group_id IS NULL AND x.at = mi.first_in))
    GROUP BY mi.customer_id, mi.first_in
),
day_events AS (
    SELECT e.customer_id,
           MAX(CASE WHEN e.type = 'friend_deleted' THEN 1 ELSE 0 END) AS lost,
           SUM(CASE WHEN e.type = 'order' THEN 1 ELSE 0 END) AS orders,
           SUM(CASE WHEN e.type = 'order' THEN CAST(ROUND(e.amount * 100) AS BIGINT) ELSE 0 END) AS revenue_cents
    FROM customers_event e
    WHERE e.type IN ('friend_deleted', 'order') AND e.at >= %(start)s AND e.at < %(end)s
    GROUP BY e.customer_id
),
facts AS (
    SELECT customer_id, 0 AS fans_total, 0 AS group_members, active AS active_customers, speaker AS speakers,
           0 AS lost, CASE WHEN first_in IS NULL THEN 0 ELSE 1 END AS chats, 0 AS chats_replied,
           CAST(0 AS DOUBLE PRECISION) AS reply_seconds, 0 AS orders, 0 AS revenue_cents, 0 AS buyers
    FROM msg_in
    UNION ALL
    SELECT rp.customer_id, 0 AS fans_total, 0 AS group_members, 0 AS active_customers, 0 AS speakers, 0 AS lost,
           0 AS chats, 1 AS chats_replied, {reply_seconds} AS reply_seconds, 0 AS orders, 0 AS revenue_cents,
           0 AS buyers
    FROM reply rp
    UNION ALL
    SELECT customer_id, 0 AS fans_total, 0 AS group_members, 0 AS active_customers, 0 AS speakers, lost,
           0 AS chats, 0 AS chats_replied, 0.0 AS reply_seconds, orders, revenue_cents,
           CASE WHEN orders > 0 THEN 1 ELSE 0 END AS buyers
    FROM day_events
),""",
        _OWNER_CUBE,
        """group_facts AS (
    SELECT m.group_id, 0 AS group_members, COUNT(DISTINCT m.customer_id) AS speakers, 0 AS joins, 0 AS leaves
    FROM day_msg m
    WHERE m.direction = 'in' AND m.group_id IS NOT NULL
    GROUP BY m.group_id
    UNION ALL
    SELECT e.group_id, 0 AS group_members, 0 AS speakers,
           SUM(CASE WHEN e.type = 'group_joined' THEN 1 ELSE 0 END) AS joins,
           SUM(CASE WHEN e.type = 'group_left' THEN 1 ELSE 0 END) AS leaves
    FROM customers_event e
    WHERE e.type IN ('group_joined', 'group_left') AND e.at >= %(start)s AND e.at < %(end)s
    GROUP BY e.group_id
),
""",
    )
)
# Dimension `group`: members at the end of D, distinct customers speaking in the group on D, and the
# day's joins and leaves; the columns a group row does not carry are 0 here and null in the row.
_GROUP_BRANCH = """
UNION ALL
SELECT 'group', g.code, 0 AS fans_total, SUM(f.group_members) AS group_members, 0 AS active_customers,
       SUM(f.speakers) AS speakers, 0 AS lost, 0 AS chats, 0 AS chats_replied, 0 AS reply_seconds, 0 AS orders,
       0 AS revenue_cents, 0 AS buyers, SUM(f.joins) AS joins, SUM(f.leaves) AS leaves
FROM group_facts f JOIN campaigns_group g ON g.id = f.group_id
GROUP BY g.code
"""
_STATE_SELECT = (
    _KEYED_OWNED
    + _by_dimensions(
        _sums(
            "fans_total",
            "group_members",
            "active_customers",
            "speakers",
            "lost",
            "chats",
            "chats_replied",
            "reply_seconds",
            "orders",
            "revenue_cents",
            "buyers",
            zeros=("joins", "leaves"),
        ),
        ("org", "staff", "team", "source"),
    )
    + _GROUP_BRANCH
)
# Two statements with the same named columns, each 0 in what the other computes: the
# history-wide state and the day's activity are independent and can run side by side.
HELD_SQL = _HELD_CTES + _STATE_SELECT
DAY_SQL = _DAY_CTES + _STATE_SELECT

REPLY_SECONDS = {
    "postgresql": "CAST(EXTRACT(EPOCH FROM (rp.out_at - rp.in_at)) AS DOUBLE PRECISION)",
    "sqlite": "ROUND((julianday(rp.out_at) - julianday(rp.in_at)) * 86400.0, 3)",
}


# The week's group speakers: customers with an `in` message carrying a group on D-6..D (`week_start`
# is the start of D-6), read through the partial index on group `in` messages. People dimensions
# count each customer once under their owner at the end of D, that staff's team on D and their
# source; dimension `group` counts the customers speaking in that group. Each part groups the index
# rows itself (rather than reading one CTE of distinct pairs) so the planner sizes the week's
# hundreds of thousands of speakers from the column statistics and joins them by hash, not by a
# nested loop sized for a few hundred.
_WEEK_WHERE = """
    WHERE e.type = 'message' AND e.direction = 'in' AND e.group_id IS NOT NULL
      AND e.at >= %(week_start)s AND e.at < %(end)s"""
_WEEK_CTES = "".join(
    (
        """
WITH facts AS (
    SELECT e.customer_id
    FROM customers_event e""",
        _WEEK_WHERE,
        """
    GROUP BY e.customer_id
),
cube AS (
    SELECT oe.staff_id, c.source_id, COUNT(*) AS speakers_7d
    FROM facts f
    JOIN customers_customer c ON c.id = f.customer_id""",
        _OWNER_AT_END_JOIN,
        """
    GROUP BY oe.staff_id, c.source_id
),
""",
    )
)
WEEK_SQL = (
    _WEEK_CTES
    + _KEYED_OWNED
    + _by_dimensions(_sums("speakers_7d"), ("org", "staff", "team", "source"))
    + """
UNION ALL
SELECT 'group', g.code, COUNT(DISTINCT e.customer_id) AS speakers_7d
FROM campaigns_group g JOIN customers_event e ON e.group_id = g.id"""
    + _WEEK_WHERE
    + """
GROUP BY g.code
"""
)
