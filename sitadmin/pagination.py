from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class PageSizePagination(PageNumberPagination):
    """`{"count", "count_exact"?, "next", "previous", "results"}` pages; clients choose `page_size` up to 1000.

    `page` is a whole number from 1 and `page_size` one from 1 to 1000: anything else is a 400 naming the
    parameter (an empty value means the default). A page past the last one is DRF's 404."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def _number(self, request, name: str, maximum: int | None) -> int | None:
        raw = request.query_params.get(name, "")
        if raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not raw.isascii() or not raw.strip().isdigit() or value < 1 or (maximum and value > maximum):
            if maximum:
                message = _("请输入 1 到 %(maximum)s 之间的整数。") % {"maximum": maximum}
            else:
                message = _("请输入不小于 1 的整数。")
            raise ValidationError({name: [message]})
        return value

    def get_page_size(self, request):
        return self._number(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def get_page_number(self, request, paginator):
        return self._number(request, self.page_query_param, None) or 1
