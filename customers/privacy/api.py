"""`POST /api/v1/customers/{id}/reveal-phone/`: the full number behind a masked one, audited and throttled."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.models import Customer
from customers.privacy.serializers import PhoneRevealSerializer
from customers.privacy.services import customer_phone_reveal
from staff.accounts.throttling import SettingsScopedRateThrottle
from staff.permissions import IsStaffMember


class CustomerPhoneRevealApi(APIView):
    """A customer's full phone: managers any customer's, team leads their team's. Every reveal is recorded
    in the audit log (`phone_reveal`) and the calls are rate-limited (`API_THROTTLE_RATES['phone_reveal']`)."""

    permission_classes = [IsStaffMember]
    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "phone_reveal"

    @extend_schema(request=None, responses=PhoneRevealSerializer)
    def post(self, request, customer_id: int):
        try:
            phone = customer_phone_reveal(user=request.user, customer_id=customer_id, request=request)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except Customer.DoesNotExist as exc:
            raise NotFound(gettext("没有这个客户")) from exc
        return Response(PhoneRevealSerializer({"phone": phone}).data)
