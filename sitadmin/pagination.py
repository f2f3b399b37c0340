from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class PageSizePagination(PageNumberPagination):
    """`{"count", "count_exact"?, "next", "previous", "results"}` pages; clients choose `page_size` up to 1000.

    `page` and `page_size` are whole numbers from 1: anything else is a 400 naming the parameter (an
    empty value means the default). A `page_size` above 1000 gives pages of 1000, as DRF does: a
    client asking for "everything" still gets pages. A page past the last one is DRF's 404."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def _number(self, request, name: str) -> int | None:
        raw = request.query_params.get(name, "")
        if raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not raw.isascii() or not raw.strip().isdigit() or value < 1:
            raise ValidationError({name: [_("请输入不小于 1 的整数。")]})
        return value

    def check_query_params(self, request) -> None:
        """Refuse a bad `page` or `page_size` where the answer is not paged (an export) too."""
        self._number(request, self.page_size_query_param)
        self._number(request, self.page_query_param)

    def get_page_size(self, request):
        size = self._number(request, self.page_size_query_param)
        return min(size, self.max_page_size) if size else self.page_size

    def get_page_number(self, request, paginator):
        return self._number(request, self.page_query_param) or 1
