"""Pages of a search over millions of messages: counting every match of a broad search would read
them all, so the count stops at `COUNT_CAP` and says whether it is exact."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.response import Response

from sitadmin.pagination import PageSizePagination

COUNT_CAP = 10_000


def capped_count(queryset) -> int:
    """The number of rows up to COUNT_CAP + 1 (one more tells that there are more)."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


class CappedCountPaginator(Paginator):
    @cached_property
    def _capped(self) -> int:
        return capped_count(self.object_list)

    @cached_property
    def count(self) -> int:
        return min(self._capped, COUNT_CAP)

    @cached_property
    def count_exact(self) -> bool:
        return self._capped <= COUNT_CAP


class MessagePagination(PageSizePagination):
    """`{"count", "count_exact", "next", "previous", "results"}`: `count` is exact up to 10,000;
    beyond that it is 10,000 with `count_exact` false, and pages go as far as those 10,000 (narrow the
    days or the words to reach older messages)."""

    django_paginator_class = CappedCountPaginator

    def capped_count(self, queryset) -> int:
        return capped_count(queryset)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_exact": self.page.paginator.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count_exact"] = {"type": "boolean"}
        return answer
