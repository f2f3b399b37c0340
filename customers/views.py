"""Customer pages: the scoped list with filters, and one customer's stage and ownership history.

Phone numbers are shown in full only to managers and to the customer's owner; everyone else
sees `Customer.masked_phone` (138****8000).
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from campaigns.sop.timeline import customer_timeline
from customers.exports import customer_list_xlsx
from customers.models import Customer, LeadSource, Stage, Tag
from customers.privacy.services import phone_reveal_allowed
from customers.selectors import customer_get_for, customer_list_for, customer_phone_for, phone_viewer_for
from customers.serializers import CustomerFilterSerializer
from sitadmin.spreadsheets import wants_xlsx
from staff.models import Staff
from staff.roles import scope_staff

PAGE_SIZE = 50
FILTER_NAMES = ("stage", "source", "owner", "tag", "search")


@login_required
def customer_list(request):
    raw = {name: request.GET[name].strip() for name in FILTER_NAMES if request.GET.get(name, "").strip()}
    filters = CustomerFilterSerializer(data=raw)
    errors = {} if filters.is_valid() else filters.errors
    customers = customer_list_for(user=request.user, filters=filters.validated_data if not errors else {})
    if errors:
        customers = customers.none()
    if wants_xlsx(request):
        return customer_list_xlsx(user=request.user, customers=customers)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    viewer = phone_viewer_for(user=request.user)
    rows = [(c, customer_phone_for(customer=c, viewer=viewer)) for c in page.object_list]
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
    phone = customer_phone_for(customer=customer, viewer=phone_viewer_for(user=request.user))
    # A masked number may be revealed (audited) by managers and team leads.
    can_reveal = phone is not None and phone != customer.phone and phone_reveal_allowed(user=request.user)
    timeline = customer_timeline(customer=customer)
    context = {"customer": customer, "phone": phone, "can_reveal": can_reveal, "timeline": timeline}
    return render(request, "customers/detail.html", context)
