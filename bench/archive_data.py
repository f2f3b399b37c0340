"""Scaled data for bench/archive.py: N message events over 500,000 customers, 20 staff in 2 teams,
50 groups and 180 days, generated inside PostgreSQL (generate_series; setseed makes it repeatable).

Texts are 2–6 phrases drawn from a vocabulary of everyday private-traffic chat (Chinese, a few
ASCII words), so a phrase search hits a realistic share of rows; one phrase, 加我私人微信, is rare
(about 1 message in 100,000). Messages are stored in the order of their times, as a live system
receives them (and as WeCom's archive hands them over), so the table's pages follow time. The event
table's secondary indexes are dropped for the load and built again afterwards, as a bulk load would
do; the seconds of each step are printed.
"""

import time

from eventgen import event_indexes_set_aside

CUSTOMERS = 500_000
STAFF_PER_TEAM = 10
GROUPS = 50
DAYS = 180
CHUNK = 1_000_000
PHRASES = [
    "您好",
    "在吗",
    "膝盖还是疼",
    "这个怎么用",
    "多少钱",
    "有优惠吗",
    "谢谢",
    "好的",
    "腰不舒服",
    "打卡",
    "今天练了",
    "老师好",
    "收到",
    "有效果",
    "请问这个适合我吗",
    "建议每天热敷15分钟",
    "给您发了使用说明",
    "今天下单有赠品",
    "发货了吗",
    "物流到哪了",
    "怎么退款",
    "质量很好",
    "推荐给朋友了",
    "颈椎不舒服",
    "睡眠好多了",
    "什么时候有活动",
    "会员日几号",
    "优惠券怎么用",
    "直播几点开始",
    "已经下单",
    "VIP会员",
    "OK",
    "好评",
    "坚持打卡第7天",
    "肩膀酸痛",
    "医生说要多休息",
    "早上起来僵硬",
    "有没有说明书",
    "快递收到了",
    "包装很好",
    "价格能便宜点吗",
    "孩子也能用吗",
    "老人用合适吗",
    "晚上用还是早上用",
    "一天几次",
    "用了一周了",
    "感觉轻松多了",
    "还要再买一盒",
    "地址改一下",
    "电话是多少",
]
RARE_PHRASE = "加我私人微信"


def generate(cursor, *, messages: int, log=print) -> None:
    started = time.perf_counter()
    cursor.execute("SELECT setseed(0.42)")
    cursor.execute("INSERT INTO customers_leadsource (code, name, kind) VALUES ('ads', '广告', 'ads')")
    cursor.execute(
        # WeCom contacts known by their external id (no phone: the search never reads one).
        "INSERT INTO customers_customer (external_id, name, remark, source_id, owner_id, stage, created_at,"
        " updated_at) SELECT 'wm' || lpad(n::text, 9, '0'), '客户' || n, '',"
        " (SELECT id FROM customers_leadsource), (SELECT id FROM staff_staff WHERE role = 'operator'"
        "  ORDER BY id OFFSET (n %% %s) LIMIT 1), 'fan', now(), now() FROM generate_series(1, %s) n",
        [2 * STAFF_PER_TEAM - 2, CUSTOMERS],
    )
    cursor.execute(
        "INSERT INTO campaigns_group (code, name, created_at, wecom_chat_id, purpose, status)"
        " SELECT 'g' || n, '群' || n, now(), '', '', 'active'"
        " FROM generate_series(1, %s) n",
        [GROUPS],
    )
    log(f"  {CUSTOMERS} customers, {GROUPS} groups: {time.perf_counter() - started:.0f} s")
    cursor.execute("SELECT min(id), max(id) FROM customers_customer")
    first_customer, last_customer = cursor.fetchone()
    cursor.execute("SELECT array_agg(id ORDER BY id) FROM staff_staff WHERE role = 'operator'")
    (operators,) = cursor.fetchone()
    cursor.execute("SELECT min(id), max(id) FROM campaigns_group")
    first_group, last_group = cursor.fetchone()
    with event_indexes_set_aside(cursor, built=lambda name, seconds: log(f"  index {name}: {seconds:.0f} s")):
        for start in range(0, messages, CHUNK):
            stop = min(start + CHUNK, messages)
            cursor.execute(
                """
                INSERT INTO customers_event (client_id, type, at, customer_id, staff_id, direction, text, order_no,
                                             received_at, group_id)
                SELECT 'm' || n, 'message',
                       now() - (1 - (n + random()) / %(messages)s) * %(days)s * interval '1 day',
                       %(c0)s + (random() * (%(c1)s - %(c0)s))::int,
                       CASE WHEN out THEN (%(ops)s::bigint[])[1 + (random() * (%(nops)s - 1))::int] END,
                       CASE WHEN out THEN 'out' ELSE 'in' END,
                       CASE WHEN random() < 0.00001 THEN %(rare)s || '，' ELSE '' END
                       || array_to_string(ARRAY(SELECT (%(phrases)s::text[])[1 + (random() * (%(np)s - 1))::int]
                                                FROM generate_series(1, 2 + (n %% 5))), '，'),
                       '', now(),
                       CASE WHEN NOT out AND random() < 0.3 THEN %(g0)s + (random() * (%(g1)s - %(g0)s))::int END
                FROM (SELECT n, random() < 0.4 AS out FROM generate_series(%(start)s, %(stop)s - 1) n) s
                """,
                {
                    "days": DAYS,
                    "messages": messages,
                    "c0": first_customer,
                    "c1": last_customer,
                    "ops": operators,
                    "nops": len(operators),
                    "rare": RARE_PHRASE,
                    "phrases": PHRASES,
                    "np": len(PHRASES),
                    "g0": first_group,
                    "g1": last_group,
                    "start": start,
                    "stop": stop,
                },
            )
            log(f"  messages {stop}/{messages}: {time.perf_counter() - started:.0f} s")
    cursor.execute("ANALYZE")
    log(f"  generated in {time.perf_counter() - started:.0f} s")
