"""Lead imports: reading, row outcomes, existing customers, order files (service level)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from customers.imports.readers import ImportFileError
from customers.imports.services import import_job_create
from customers.models import Customer, ImportJob, LeadSource, Order, OwnershipPeriod, Stage, Tag
from customers.ownership.allocation import AllocationDealer
from customers.privacy.crypto import phone_index, phones_index
from customers.privacy.selectors import row_report_shown
from tests.customers.factories import CustomerFactory, LeadSourceFactory, OrderFactory, TagFactory
from tests.staff.factories import StaffFactory

pytestmark = pytest.mark.django_db


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def run_import(data: bytes, *, name: str = "leads.csv", source=None, **kwargs) -> ImportJob:
    source = source or LeadSourceFactory(code="tele")
    return import_job_create(file=ContentFile(data, name=name), file_name=name, source=source, **kwargs)


def outcome(job: ImportJob) -> tuple:
    return (job.status, job.total_rows, job.created, job.updated, job.duplicates, job.invalid)


def errors_of(job: ImportJob) -> list[tuple]:
    """The row report as a manager reads it (phone cells decrypted)."""
    rows = job.row_errors.order_by("row_number").values_list("row_number", "value", "phone_encrypted", "reason")
    return list(row_report_shown(rows, full=True))


def test_gbk_file_with_chinese_headers_and_phone_spellings():
    data = csv_bytes(
        [
            "姓名,手机号,标签,备注,城市",
            "张三,+86 138-0013-8000,高意向，复购,老客户,北京",
            "李四,0086 139 0000 0001,高意向、新客,,上海",
            "王五,8613700000002,,,广州",
            "赵六,150-0000-0003,,,深圳",
        ],
        encoding="gbk",
    )
    job = run_import(data)
    # 4 data rows, all new phones: 4 created.
    assert outcome(job) == ("done", 4, 4, 0, 0, 0)
    assert job.progress == 100
    zhang = Customer.objects.get(phone_index=phone_index("13800138000"))
    assert (zhang.name, zhang.remark, zhang.stage, zhang.source.code) == ("张三", "老客户", "lead", "tele")
    assert sorted(zhang.tags.values_list("name", flat=True)) == ["复购", "高意向"]
    assert {c.phone for c in Customer.objects.all()} == {
        "13800138000",
        "13900000001",
        "13700000002",
        "15000000003",
    }
    # 高意向 is shared: three distinct tags in all.
    assert Tag.objects.count() == 3


def test_utf8_bom_duplicates_and_invalid_rows_with_reasons():
    data = codecs_bom() + csv_bytes(
        [
            "phone,name",
            "13800000001,A",
            "138 0000 0001,A again",
            ",no phone",
            "1380000001,ten digits",
            "12800000001,starts with 12",
            "+1 415 555 0100,abroad",
            "",
            "13800000002,B",
            "+8613800000002,B again",
        ]
    )
    job = run_import(data)
    # Header on row 1, rows 2..10 with row 8 blank (no data row): 8 data rows =
    # 2 created (rows 2, 9) + 2 duplicates (rows 3, 10) + 4 invalid (rows 4..7).
    assert outcome(job) == ("done", 8, 2, 0, 2, 4)
    assert errors_of(job) == [
        (3, "13800000001", "文件内重复，首次出现在第 2 行"),
        (4, "", "缺少手机号"),
        (5, "1380000001", "号码位数不对"),
        (6, "12800000001", "不是大陆手机号"),
        (7, "+1 415 555 0100", "不是大陆手机号"),
        (10, "13800000002", "文件内重复，首次出现在第 9 行"),
    ]
    assert Customer.objects.get(phone_index=phone_index("13800000001")).name == "A"


def codecs_bom() -> bytes:
    return b"\xef\xbb\xbf"


def test_existing_customer_tags_merged_owner_source_stage_kept(team):
    owner = StaffFactory(user__username="keeper", team=team)
    old_source = LeadSourceFactory(code="ads", kind=LeadSource.Kind.ADS)
    vip = TagFactory(code="vip", name="VIP")
    existing = CustomerFactory(phone="13800000009", name="", remark="kept", source=old_source, owner=owner)
    existing.tags.add(vip)
    Customer.objects.filter(pk=existing.pk).update(stage=Stage.FAN)
    data = csv_bytes(["phone,name,remark,tags", "13800000009,新名字,new remark,VIP;新标签", "13800000010,新客,,"])
    job = run_import(data, team=team, allocation="round_robin")
    # One existing phone (updated), one new (created).
    assert outcome(job) == ("done", 2, 1, 1, 0, 0)
    existing.refresh_from_db()
    assert (existing.owner, existing.source.code, existing.stage) == (owner, "ads", "fan")
    # Empty name filled, non-empty remark kept.
    assert (existing.name, existing.remark) == ("新名字", "kept")
    # "VIP" matches the tag's name; 新标签 is new.
    assert sorted(existing.tags.values_list("name", flat=True)) == ["VIP", "新标签"]
    # The existing customer was not re-allocated: only the new one got an owner period.
    assert OwnershipPeriod.objects.filter(customer=existing).count() == 0
    assert Customer.objects.get(phone_index=phone_index("13800000010")).owner == owner


def test_reimport_creates_nothing():
    data = csv_bytes(["phone,tags", "13800000001,a", "13800000002,b", "13800000001,c", "bad,"])
    first = run_import(data)
    second = run_import(data)
    # 4 rows: 2 created, 1 duplicate, 1 invalid; then the same 2 phones are updated.
    assert outcome(first) == ("done", 4, 2, 0, 1, 1)
    assert outcome(second) == ("done", 4, 0, 2, 1, 1)
    assert Customer.objects.count() == 2
    assert Tag.objects.count() == 2


def test_xlsx_first_sheet_numbers_and_dates():
    book = Workbook()
    sheet = book.active
    sheet.append(["手机号", "姓名", "订单号", "金额", "下单时间"])
    sheet.append([13800000001, "数字号码", "NO-1", 99.5, dt.datetime(2026, 11, 20, 14, 30)])
    sheet.append(["139-0000-0002", "文本号码", "NO-2", "120", "2026/11/21 09:00"])
    sheet.append([None, None, None, None, None])
    sheet.append([12345, "短号", "NO-3", 1, "2026-11-21"])
    book.create_sheet("ignored").append(["phone"])
    buffer = io.BytesIO()
    book.save(buffer)
    shop = LeadSourceFactory(code="shop", kind=LeadSource.Kind.ORDERS)
    job = run_import(buffer.getvalue(), name="orders.xlsx", source=shop)
    # 3 data rows (the empty row is none): 2 created, 1 invalid; 2 orders.
    assert outcome(job) == ("done", 3, 2, 0, 0, 1)
    assert job.orders_created == 2
    order = Order.objects.get(order_no="NO-1")
    assert order.amount == Decimal("99.50")
    # A time without offset is read in Asia/Shanghai: 14:30 +08:00 is 06:30 UTC.
    assert order.ordered_at == dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.UTC)
    assert order.customer.phone == "13800000001"
    assert errors_of(job) == [(5, "12345", "号码位数不对")]


def test_order_file_orders_stages_and_reimport_without_doubles():
    shop = LeadSourceFactory(code="shop", kind=LeadSource.Kind.ORDERS)
    other = CustomerFactory(phone="13900000000")
    OrderFactory(order_no="TAKEN", customer=other, amount=1, ordered_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    data = csv_bytes(
        [
            "订单号,手机号,金额,下单时间,姓名",
            "A1,13800000001,100.00,2026-11-20 10:00,甲",
            "A2,13800000001,50,2026-11-21 10:00,甲",
            "A1,13800000001,100.00,2026-11-20 10:00,甲",
            'B1,13800000002,"¥1,299.50",2026-11-20T10:00:00+08:00,乙',
            "C1,13800000003,-5,2026-11-20 10:00,丙",
            "C2,13800000003,5,yesterday,丙",
            ",13800000003,5,2026-11-20 10:00,丙",
            "TAKEN,13800000004,5,2026-11-20 10:00,丁",
        ]
    )
    job = run_import(data, name="orders.csv", source=shop)
    # 8 rows: A1 creates 13800000001; A2 names it again (a duplicate customer row, but its own order);
    # A1 again repeats an order number: invalid; B1 creates 13800000002 (amount "¥1,299.50" →
    # 1299.50); C1, C2 and the blank order number are invalid; TAKEN belongs to another customer:
    # invalid. 2 created + 0 updated + 1 duplicate + 5 invalid = 8; orders A1, A2, B1.
    assert outcome(job) == ("done", 8, 2, 0, 1, 5)
    assert job.orders_created == 3
    assert Customer.objects.get(phone_index=phone_index("13800000001")).stage == Stage.REPEAT_BUYER
    assert Customer.objects.get(phone_index=phone_index("13800000002")).stage == Stage.BUYER
    assert Order.objects.get(order_no="B1").amount == Decimal("1299.50")
    assert not Customer.objects.filter(phone_index__in=phones_index(["13800000003", "13800000004"])).exists()
    assert errors_of(job) == [
        (4, "A1", "订单号重复，首次出现在第 2 行"),
        (6, "-5", "金额不对：须为不小于 0 的数字，最多两位小数"),
        (7, "yesterday", "下单时间不对：须为日期和时间，如 2026-11-20 14:30"),
        (8, "", "缺少订单号"),
        (9, "TAKEN", "订单号已属于其他客户"),
    ]
    again = run_import(data, name="orders.csv", source=shop)
    # Same file: nothing new; rows 2 and 5 update their customers, row 3 repeats a phone; no order
    # is doubled.
    assert outcome(again) == ("done", 8, 0, 2, 1, 5)
    assert again.orders_created == 0
    assert Order.objects.count() == 4


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leads.csv", b"", "文件是空的"),
        ("leads.xls", b"phone\n13800000001\n", "文件类型不支持：.xls"),
        ("leads.csv", b"phone\n", "没有数据行"),
        ("leads.csv", b"name,mobile number\nA,13800000001\n", "phone / mobile / 手机号 / 手机号码 / 手机"),
        ("leads.csv", b"phone\n\x00\x01\xff\xfe\x80\n", "无法识别文件编码"),
        ("leads.xlsx", b"phone\n13800000001\n", "不是有效的 XLSX 文件"),
    ],
)
def test_file_level_errors_leave_nothing(name, data, message):
    with pytest.raises(ImportFileError, match=message):
        run_import(data, name=name)
    assert ImportJob.objects.count() == 0
    assert Customer.objects.count() == 0


def test_file_over_size_limit(settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(ImportFileError, match="超过上限 10 字节"):
        run_import(b"phone\n13800000001\n")


def test_order_file_needs_order_columns():
    shop = LeadSourceFactory(code="shop", kind=LeadSource.Kind.ORDERS)
    with pytest.raises(ImportFileError, match="order_no / 订单号"):
        run_import(b"phone,amount,ordered_at\n13800000001,1,2026-11-20\n", source=shop)


def test_long_file_name_is_kept_for_display():
    name = "电销名单" * 30 + ".csv"
    job = run_import(b"phone\n13800000001\n", name=name)
    assert (job.status, job.created, job.file_name) == ("done", 1, name)


@pytest.mark.parametrize("kind", [LeadSource.Kind.TELESALES, LeadSource.Kind.ORDERS])
def test_new_customers_are_dealt_in_file_order(team, kind):
    for name in ("ann", "bob"):
        StaffFactory(user__username=name, team=team, role="operator")
    CustomerFactory(phone="13800000005")
    source = LeadSourceFactory(code="src", kind=kind)
    rows = ["13800000009", "13800000001", "13800000005", "13800000007", "13800000003"]
    lines = ["phone,order_no,amount,ordered_at"] + [f"{p},NO-{n},10,2026-11-20" for n, p in enumerate(rows)]
    job = run_import(csv_bytes(lines), source=source, team=team, allocation="round_robin")
    assert (job.status, job.created, job.updated, job.unassigned) == ("done", 4, 1, 0)
    owners = {
        c.phone: c.owner.user.username if c.owner else None
        for c in Customer.objects.filter(phone_index__in=phones_index(rows)).select_related("owner__user")
    }
    # Rows 2, 3, 5, 6 are new, in turn ann, bob, ann, bob; row 4 (existing, no owner) keeps none.
    assert owners == {
        "13800000009": "ann",
        "13800000001": "bob",
        "13800000005": None,
        "13800000007": "ann",
        "13800000003": "bob",
    }
    periods = OwnershipPeriod.objects.filter(cause=OwnershipPeriod.Cause.IMPORT, ended_at__isnull=True)
    assert sorted(
        (p.customer.phone, p.staff.user.username) for p in periods.select_related("customer", "staff__user")
    ) == sorted((phone, owner) for phone, owner in owners.items() if owner)


def test_failure_while_dealing_owners_fails_the_job_and_writes_nothing(team, monkeypatch):
    StaffFactory(user__username="ann", team=team, role="operator")

    def lost(*args):
        raise ConnectionError("database gone while reading the team")

    monkeypatch.setattr(AllocationDealer, "_owner_stream", staticmethod(lost))
    job = run_import(csv_bytes(["phone", "13800000001", "13800000002"]), team=team, allocation="capacity")
    assert job.status == "failed"
    assert "ConnectionError" in job.error
    assert Customer.objects.count() == 0
    assert OwnershipPeriod.objects.count() == 0
