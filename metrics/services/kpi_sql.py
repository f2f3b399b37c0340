"""The set-based statements of the KPI engine, one per metric family (SPEC §4).

They run unchanged on PostgreSQL and SQLite (CTEs, window functions, UNION ALL). Day boundaries
come in as parameters computed in `TIME_ZONE`, so no statement ever truncates a time to a date.
Parameters: `start` (start of D), `end` (start of D+1), `window_end` (start of D+W), `threshold`.
Each statement returns `(dimension, key, metric...)` rows, one per key.
"""

# The keys a fact is counted under: the staff's username, that staff's current team, the customer's
# source, and (cohorts only) the script. `{facts}` is a CTE with `customer_id`, `staff_id`
# and, for `_KEYED_WITH_SCRIPT`, `script_id`.
_KEYED = """
keyed AS (
    SELECT f.*, u.username AS staff_key, t.code AS team_key, ls.code AS source_key{script_key}
    FROM {facts} f
    JOIN customers_customer c ON c.id = f.customer_id
    JOIN customers_leadsource ls ON ls.id = c.source_id
    LEFT JOIN staff_staff s ON s.id = f.staff_id
    LEFT JOIN auth_user u ON u.id = s.user_id
    LEFT JOIN staff_team t ON t.id = s.team_id{script_join}
)
"""
_KEYED_WITH_SCRIPT = _KEYED.format(
    facts="facts",
    script_key=", sc.code AS script_key",
    script_join="\n    LEFT JOIN campaigns_script sc ON sc.id = f.script_id",
)
_KEYED_OWNED = _KEYED.format(facts="owned", script_key="", script_join="")


_BRANCHES = {
    "org": "SELECT 'org', '', {select} FROM keyed",
    "staff": "SELECT 'staff', staff_key, {select} FROM keyed WHERE staff_key IS NOT NULL GROUP BY staff_key",
    "team": "SELECT 'team', team_key, {select} FROM keyed WHERE team_key IS NOT NULL GROUP BY team_key",
    "source": "SELECT 'source', source_key, {select} FROM keyed GROUP BY source_key",
    "script": "SELECT 'script', script_key, {select} FROM keyed WHERE script_key IS NOT NULL GROUP BY script_key",
}


def _by_dimensions(select: str, dimensions: tuple[str, ...]) -> str:
    """One aggregate `select` list evaluated per dimension over `keyed`, glued with UNION ALL.

    Only module constants are pasted together here; every value reaches the database as a parameter.
    """
    return "\nUNION ALL\n".join(_BRANCHES[d].format(select=select) for d in dimensions)


COHORT_COLUMNS = ("requests", "requests_converted", "new_fans", "new_fans_grouped")

# requests / requests_converted: customers whose first friend_request_sent ever is on D, converted
# by a friend_added (any staff) at or after it and before the end of D+W-1.
# new_fans / new_fans_grouped: customers whose first friend_added ever is on D, grouped by a
# group_joined at or after it and before the end of D+W-1; the script is that of the customer's
# first request when that request came before the add.
_COHORT_FACTS = """
WITH req_day AS (
    SELECT e.customer_id, e.staff_id, e.script_id, e.at,
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
facts AS (
    SELECT r.customer_id, r.staff_id, r.script_id, 1 AS requests,
           CASE WHEN EXISTS (
               SELECT 1 FROM customers_event a
               WHERE a.customer_id = r.customer_id AND a.type = 'friend_added'
                 AND a.at >= r.at AND a.at < %(window_end)s
           ) THEN 1 ELSE 0 END AS requests_converted,
           0 AS new_fans, 0 AS new_fans_grouped
    FROM req_day r
    WHERE r.rn = 1 AND NOT EXISTS (
        SELECT 1 FROM customers_event p
        WHERE p.customer_id = r.customer_id AND p.type = 'friend_request_sent' AND p.at < %(start)s
    )
    UNION ALL
    SELECT a.customer_id, a.staff_id,
           (SELECT p.script_id FROM customers_event p
            WHERE p.customer_id = a.customer_id AND p.type = 'friend_request_sent'
              AND (p.at < a.at OR (p.at = a.at AND p.client_id < a.client_id))
            ORDER BY p.at, p.client_id LIMIT 1) AS script_id,
           0, 0, 1,
           CASE WHEN EXISTS (
               SELECT 1 FROM customers_event g
               WHERE g.customer_id = a.customer_id AND g.type = 'group_joined'
                 AND g.at >= a.at AND g.at < %(window_end)s
           ) THEN 1 ELSE 0 END
    FROM add_day a
    WHERE a.rn = 1 AND NOT EXISTS (
        SELECT 1 FROM customers_event p
        WHERE p.customer_id = a.customer_id AND p.type = 'friend_added' AND p.at < %(start)s
    )
),
"""
COHORT_SQL = (
    _COHORT_FACTS
    + _KEYED_WITH_SCRIPT
    + _by_dimensions(
        "SUM(requests), SUM(requests_converted), SUM(new_fans), SUM(new_fans_grouped)",
        ("org", "staff", "team", "source", "script"),
    )
)

STATE_COLUMNS = (
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
)

# State at the end of D and the day's messages, deletions and orders, per customer, counted under
# the customer's owner at the end of D (a customer without one: org and source only).
# `{reply_seconds}` is the vendor's expression for the seconds from `rp.in_at` to `rp.out_at`.
_STATE_FACTS = """
WITH friendship AS (
    SELECT e.customer_id, e.type,
           ROW_NUMBER() OVER (PARTITION BY e.customer_id ORDER BY e.at DESC, e.client_id DESC) AS rn
    FROM customers_event e
    WHERE e.type IN ('friend_added', 'friend_deleted') AND e.at < %(end)s
),
membership AS (
    SELECT e.customer_id, e.group_id, e.type,
           ROW_NUMBER() OVER (PARTITION BY e.customer_id, e.group_id ORDER BY e.at DESC, e.client_id DESC) AS rn
    FROM customers_event e
    WHERE e.type IN ('group_joined', 'group_left') AND e.at < %(end)s
),
msg_day AS (
    SELECT e.customer_id, e.group_id, e.direction, e.at,
           MIN(CASE WHEN e.direction = 'in' AND e.group_id IS NULL THEN e.at END)
               OVER (PARTITION BY e.customer_id) AS first_in
    FROM customers_event e
    WHERE e.type = 'message' AND e.at >= %(start)s AND e.at < %(end)s
),
msg_facts AS (
    SELECT customer_id,
           CASE WHEN SUM(CASE WHEN direction = 'in' THEN 1 ELSE 0 END) >= %(threshold)s THEN 1 ELSE 0 END AS active,
           MAX(CASE WHEN direction = 'in' AND group_id IS NOT NULL THEN 1 ELSE 0 END) AS speaker,
           MAX(CASE WHEN first_in IS NOT NULL THEN 1 ELSE 0 END) AS chat,
           MIN(first_in) AS in_at,
           MIN(CASE WHEN direction = 'out' AND group_id IS NULL AND at > first_in THEN at END) AS out_at
    FROM msg_day
    GROUP BY customer_id
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
    SELECT customer_id, 1 AS fans_total, 0 AS group_members, 0 AS active_customers, 0 AS speakers, 0 AS lost,
           0 AS chats, 0 AS chats_replied, 0.0 AS reply_seconds, 0 AS orders, 0 AS revenue_cents
    FROM friendship WHERE rn = 1 AND type = 'friend_added'
    UNION ALL
    SELECT DISTINCT customer_id, 0, 1, 0, 0, 0, 0, 0, 0.0, 0, 0
    FROM membership WHERE rn = 1 AND type = 'group_joined'
    UNION ALL
    SELECT rp.customer_id, 0, 0, rp.active, rp.speaker, 0, rp.chat,
           CASE WHEN rp.out_at IS NULL THEN 0 ELSE 1 END,
           CASE WHEN rp.out_at IS NULL THEN 0.0 ELSE {reply_seconds} END, 0, 0
    FROM msg_facts rp
    UNION ALL
    SELECT customer_id, 0, 0, 0, 0, lost, 0, 0, 0.0, orders, revenue_cents FROM day_events
),
per_customer AS (
    SELECT f.customer_id, MAX(f.fans_total) AS fans_total, MAX(f.group_members) AS group_members,
           MAX(f.active_customers) AS active_customers, MAX(f.speakers) AS speakers, MAX(f.lost) AS lost,
           MAX(f.chats) AS chats, MAX(f.chats_replied) AS chats_replied, SUM(f.reply_seconds) AS reply_seconds,
           SUM(f.orders) AS orders, SUM(f.revenue_cents) AS revenue_cents,
           CASE WHEN SUM(f.orders) > 0 THEN 1 ELSE 0 END AS buyers
    FROM facts f
    GROUP BY f.customer_id
),
owner_at_end AS (
    SELECT o.customer_id, o.staff_id
    FROM customers_ownershipperiod o
    WHERE o.started_at < %(end)s AND (o.ended_at IS NULL OR o.ended_at >= %(end)s)
),
owned AS (
    SELECT pc.*, oe.staff_id
    FROM per_customer pc LEFT JOIN owner_at_end oe ON oe.customer_id = pc.customer_id
),
"""
STATE_SQL = (
    _STATE_FACTS
    + _KEYED_OWNED
    + _by_dimensions(
        "SUM(fans_total), SUM(group_members), SUM(active_customers), SUM(speakers), SUM(lost), SUM(chats),"
        " SUM(chats_replied), SUM(reply_seconds), SUM(orders), SUM(revenue_cents), SUM(buyers)",
        ("org", "staff", "team", "source"),
    )
)

REPLY_SECONDS = {
    "postgresql": "EXTRACT(EPOCH FROM (rp.out_at - rp.in_at))",
    "sqlite": "ROUND((julianday(rp.out_at) - julianday(rp.in_at)) * 86400.0, 3)",
}

GROUP_COLUMNS = ("group_members", "speakers", "joins", "leaves")

# Dimension `group`: members at the end of D (latest join/leave per customer and group is a join),
# distinct customers speaking in the group on D, and the day's joins and leaves.
GROUP_SQL = """
WITH membership AS (
    SELECT e.customer_id, e.group_id, e.type,
           ROW_NUMBER() OVER (PARTITION BY e.customer_id, e.group_id ORDER BY e.at DESC, e.client_id DESC) AS rn
    FROM customers_event e
    WHERE e.type IN ('group_joined', 'group_left') AND e.at < %(end)s
),
facts AS (
    SELECT group_id, COUNT(*) AS group_members, 0 AS speakers, 0 AS joins, 0 AS leaves
    FROM membership WHERE rn = 1 AND type = 'group_joined'
    GROUP BY group_id
    UNION ALL
    SELECT e.group_id, 0, COUNT(DISTINCT e.customer_id), 0, 0
    FROM customers_event e
    WHERE e.type = 'message' AND e.direction = 'in' AND e.group_id IS NOT NULL
      AND e.at >= %(start)s AND e.at < %(end)s
    GROUP BY e.group_id
    UNION ALL
    SELECT e.group_id, 0, 0,
           SUM(CASE WHEN e.type = 'group_joined' THEN 1 ELSE 0 END),
           SUM(CASE WHEN e.type = 'group_left' THEN 1 ELSE 0 END)
    FROM customers_event e
    WHERE e.type IN ('group_joined', 'group_left') AND e.at >= %(start)s AND e.at < %(end)s
    GROUP BY e.group_id
)
SELECT 'group', g.code, SUM(f.group_members), SUM(f.speakers), SUM(f.joins), SUM(f.leaves)
FROM facts f JOIN campaigns_group g ON g.id = f.group_id
GROUP BY g.code
"""
