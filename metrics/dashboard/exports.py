"""Excel downloads of the dashboard pages (`?format=xlsx`): the same rows the page shows, the header in
the viewer's language, numbers as numbers."""

from django.utils.translation import gettext as _

from metrics.catalog import BY_NAME
from sitadmin.spreadsheets import xlsx_response


def _number(raw: str):
    return float(raw) if raw not in ("", None) else None


def breakdown_xlsx(*, data: dict):
    breakdown = data["breakdown"]
    columns = breakdown.get("columns") or ()
    header = [str(breakdown["label"]), *(str(label) for _m, label, _k in columns)]
    rows = [[row["name"], *(_number(cell["raw"]) for cell in row["cells"])] for row in breakdown["rows"]]
    kinds = [None, *(kind for _m, _l, kind in columns)]
    name = f"kpis-{breakdown['dimension']}-{data['date_from']}-{data['date_to']}.xlsx"
    return xlsx_response(filename=name, sheets=[(_("数据概览"), header, rows, kinds)])


def staff_board_xlsx(*, data: dict):
    header = [_("员工"), _("姓名"), _("团队"), *(str(label) for _m, label, _k in data["metrics"])]
    rows = [
        [row["username"], row["name"], row["team"], *(_number(cell["raw"]) for cell in row["cells"])]
        for row in data["rows"]
    ]
    kinds = [None, None, None, *(kind for _m, _l, kind in data["metrics"])]
    name = f"staff-board-{data['date_from']}-{data['date_to']}.xlsx"
    return xlsx_response(filename=name, sheets=[(_("员工榜单"), header, rows, kinds)])


def funnel_xlsx(*, data: dict):
    stages = [str(label) for _stage, label in data["stages"]]
    header = [_("线索来源"), *stages]
    rows = [[row["name"], *(step["count"] for step in row["steps"])] for row in data["rows"]]
    if data.get("totals"):
        rows.append([_("合计"), *(t["count"] for t in data["totals"])])
    name = f"funnel-{data['date_from']}-{data['date_to']}.xlsx"
    return xlsx_response(filename=name, sheets=[(_("转化漏斗"), header, rows, [None, *["count"] * len(stages)])])


GROUP_COLUMNS = ("group_members", "speakers", "speaking_rate", "speakers_7d", "speaking_rate_7d", "joins", "leaves")


def groups_xlsx(*, data: dict):
    header = [_("社群"), *(str(BY_NAME[m].label) for m in GROUP_COLUMNS), _("沉默")]
    rows = [
        [row["name"], *(row.get(m) for m in GROUP_COLUMNS), _("是") if row["dormant"] else ""] for row in data["rows"]
    ]
    kinds = [None, *(BY_NAME[m].kind for m in GROUP_COLUMNS), None]
    name = f"groups-{data['date_from']}-{data['date_to']}.xlsx"
    return xlsx_response(filename=name, sheets=[(_("社群"), header, rows, kinds)])
