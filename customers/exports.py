"""The customer list as Excel (`/customers/?format=xlsx`): the filtered list the viewer may see, phones
masked exactly as the page masks them."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from customers.models import Customer, Stage
from customers.selectors import customer_phone_for, phone_viewer_for
from sitadmin.spreadsheets import xlsx_response

# An export is for working a list, not for copying the database out: past this, narrow the filters.
EXPORT_MAX_ROWS = 50_000


def customer_list_xlsx(*, user, customers: QuerySet[Customer]):
    viewer = phone_viewer_for(user=user)
    stages = dict(Stage.choices)
    header = [_("姓名"), _("手机号"), _("阶段"), _("线索来源"), _("负责人"), _("标签"), _("备注")]
    rows = [
        [
            customer.name,
            customer_phone_for(customer=customer, viewer=viewer) or "",
            str(stages.get(customer.stage, customer.stage)),
            customer.source.name if customer.source_id else "",
            (customer.owner.name or customer.owner.user.username) if customer.owner_id else "",
            "、".join(tag.name for tag in customer.tags.all()),
            customer.remark,
        ]
        for customer in customers.select_related("source", "owner__user").prefetch_related("tags")[:EXPORT_MAX_ROWS]
    ]
    return xlsx_response(filename="customers.xlsx", sheets=[(_("客户"), header, rows)])
