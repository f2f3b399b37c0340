import pytest

from campaigns.keywords.hits import keyword_hits_fold
from campaigns.keywords.models import KeywordReply
from campaigns.keywords.services import keyword_reply_create, keyword_reply_match

URL = "/api/v1/keyword-replies/"
MATCH_URL = "/api/v1/keyword-replies/match/"


@pytest.mark.django_db
@pytest.mark.parametrize("keywords", [None, [], ["  "]])
def test_a_rule_without_keywords_is_400_naming_the_field_and_saves_nothing(client_for, manager, keywords):
    body = {"reply": "hi"} if keywords is None else {"keywords": keywords, "reply": "hi"}
    answer = client_for(manager).post(URL, body, format="json")
    assert answer.status_code == 400
    assert "keywords" in answer.json()
    assert KeywordReply.objects.count() == 0


@pytest.mark.django_db
def test_managers_write_rules_and_operators_only_read(client_for, manager, operator):
    created = client_for(manager).post(
        URL, {"keywords": [" 价格 ", "价格", "多少钱"], "reply": "看群公告", "priority": 3}, format="json"
    )
    assert created.status_code == 201
    assert created.json() == {
        "id": created.json()["id"],
        "keywords": ["价格", "多少钱"],
        "match": "contains",
        "reply": "看群公告",
        "priority": 3,
        "active": True,
        "hits": 0,
    }
    operator_client = client_for(operator)
    assert operator_client.post(URL, {"keywords": ["x"], "reply": "y"}, format="json").status_code == 403
    assert operator_client.get(URL).json()["count"] == 1


@pytest.mark.django_db
def test_match_takes_the_highest_priority_then_the_lowest_id_and_counts_hits(client_for, operator):
    cheap = keyword_reply_create(keywords=["价格", "多少钱"], reply="A")
    urgent = keyword_reply_create(keywords=["价格"], reply="B", priority=5)
    hello = keyword_reply_create(keywords=["在吗"], reply="C", match="exact")
    keyword_reply_create(keywords=["价格"], reply="D", priority=100, active=False)
    twin = keyword_reply_create(keywords=["多少钱"], reply="E")
    client = client_for(operator)

    def match(text):
        return client.post(MATCH_URL, {"text": text}, format="json").json()

    assert match("请问价格多少钱") == {"rule": urgent.pk, "reply": "B"}  # 5 beats 0; D is off
    assert match("这个多少钱") == {"rule": cheap.pk, "reply": "A"}  # same priority as E, lower id
    assert match("  在吗 ") == {"rule": hello.pk, "reply": "C"}  # exact: the trimmed text
    assert match("在吗？") == {"rule": None, "reply": None}
    assert match("") == {"rule": None, "reply": None}
    counts = {rule["id"]: rule["hits"] for rule in client.get(URL).json()["results"]}
    assert (counts[urgent.pk], counts[cheap.pk], counts[hello.pk], counts[twin.pk]) == (1, 1, 1, 0)


@pytest.mark.django_db
def test_match_ignores_case_for_both_kinds():
    vip = keyword_reply_create(keywords=["VIP"], reply="会员价")
    ok = keyword_reply_create(keywords=["OK"], reply="好的", match="exact")
    assert keyword_reply_match(text="我是vip客户") == (vip.pk, "会员价")
    assert keyword_reply_match(text=" ok ") == (ok.pk, "好的")


@pytest.mark.django_db
def test_a_change_through_the_api_rebuilds_the_index(client_for, manager):
    client = client_for(manager)
    low = keyword_reply_create(keywords=["发货"], reply="48小时")
    high = client.post(URL, {"keywords": ["发货"], "reply": "今天发", "priority": 9}, format="json").json()
    assert keyword_reply_match(text="什么时候发货") == (high["id"], "今天发")
    assert client.patch(f"{URL}{high['id']}/", {"active": False}, format="json").status_code == 200
    assert keyword_reply_match(text="什么时候发货") == (low.pk, "48小时")
    assert client.delete(f"{URL}{low.pk}/").status_code == 204
    assert keyword_reply_match(text="什么时候发货") == (None, None)


@pytest.mark.django_db
def test_without_redis_a_rule_deleted_behind_the_index_counts_no_hit_and_is_skipped(settings):
    settings.REDIS_URL = ""  # the embedded setup: each hit is an UPDATE of the active rule
    gone = keyword_reply_create(keywords=["退款"], reply="gone")
    kept = keyword_reply_create(keywords=["退"], reply="kept")
    assert keyword_reply_match(text="退款") == (gone.pk, "gone")
    KeywordReply.objects.filter(pk=gone.pk).delete()  # not through the service: the index is stale
    assert keyword_reply_match(text="退款") == (kept.pk, "kept")
    assert KeywordReply.objects.get(pk=kept.pk).hits == 1


@pytest.mark.django_db
def test_the_page_lists_rules_and_tries_a_text_without_counting_a_hit(client, operator):
    rule = keyword_reply_create(keywords=["怎么用"], reply="早晚各一次")
    client.force_login(operator.user)
    page = client.get("/keywords/")
    assert page.status_code == 200
    assert "怎么用" in page.content.decode()
    tried = client.post("/keywords/try/", {"text": "这个怎么用啊"})
    assert f'data-rule="{rule.pk}"' in tried.content.decode()
    assert "早晚各一次" in tried.content.decode()
    keyword_hits_fold()
    assert KeywordReply.objects.get(pk=rule.pk).hits == 0


@pytest.mark.django_db
def test_the_admin_refuses_a_rule_without_keywords(client, manager):
    manager.user.is_staff = manager.user.is_superuser = True
    manager.user.save()
    client.force_login(manager.user)
    form = {"keywords": "[]", "match": "contains", "reply": "hi", "priority": "0", "active": "on"}
    answer = client.post("/admin/campaigns/keywordreply/add/", form)
    assert answer.status_code == 200  # the form again, with the error
    assert KeywordReply.objects.count() == 0
    form["keywords"] = '["价格"]'
    assert client.post("/admin/campaigns/keywordreply/add/", form).status_code == 302
    assert list(KeywordReply.objects.values_list("keywords", flat=True)) == [["价格"]]
