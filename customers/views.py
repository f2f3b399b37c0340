"""Customer pages: the scoped list with filters, and one customer's stage and ownership history.

Phone numbers are shown in full only to managers and to the customer's owner; everyone else
sees `Customer.masked_phone` (138****8000).
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from staff.models import Staff
from staff.roles import is_manager, scope_staff, staff_for

from .models import Customer, LeadSource, Stage, Tag
from .selectors import customer_get_for, customer_list_for
from .serializers import CustomerFilterSerializer

PAGE_SIZE = 50
FILTER_NAMES = ("stage", "source", "owner", "tag", "search")


def _phone_for(customer: Customer, *, viewer_is_manager: bool, viewer_staff_id: int | None) -> str:
    if viewer_is_manager or (customer.owner_id is not None and customer.owner_id == viewer_staff_id):
        return customer.phone or ""
    return customer.masked_phone


@login_required
def customer_list(request):
    raw = {name: request.GET[name].strip() for name in FILTER_NAMES if request.GET.get(name, "").strip()}
    filters = CustomerFilterSerializer(data=raw)
    errors = {} if filters.is_valid() else filters.errors
    customers = customer_list_for(user=request.user, filters=filters.validated_data if not errors else {})
    if errors:
        customers = customers.none()
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    manager, viewer = is_manager(request.user), staff_for(request.user)
    viewer_id = viewer.pk if viewer else None
    rows = [(c, _phone_for(c, viewer_is_manager=manager, viewer_staff_id=viewer_id)) for c in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "values": raw,
        "errors": errors,
        "stages": Stage.choices,
        "sources": LeadSource.objects.values_list("code", "name"),
        "owners": scope_staff(Staff.objects.all(), request.user).values_list("user__username", "name"),
        "tags": Tag.objects.values_list("code", "name"),
        "query": urlencode(raw),
    }
    return render(request, "customers/list.html", context)


@login_required
def customer_detail(request, customer_id: int):
    try:
        customer = customer_get_for(user=request.user, customer_id=customer_id)
    except Customer.DoesNotExist:
        raise Http404("No such customer, or not yours to see.") from None
    viewer = staff_for(request.user)
    phone = _phone_for(
        customer, viewer_is_manager=is_manager(request.user), viewer_staff_id=viewer.pk if viewer else None
    )
    return render(request, "customers/detail.html", {"customer": customer, "phone": phone})
