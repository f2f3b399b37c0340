"""The customer page's reveal button: the same audited reveal as the API, answered as the phone's cell."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from customers.models import Customer
from customers.privacy.services import customer_phone_reveal


@login_required
@require_POST
def customer_phone_reveal_page(request, customer_id: int):
    try:
        phone = customer_phone_reveal(user=request.user, customer_id=customer_id, request=request)
    except Customer.DoesNotExist:
        raise Http404("No such customer, or not yours to see.") from None
    return render(request, "customers/_revealed_phone.html", {"phone": phone})
