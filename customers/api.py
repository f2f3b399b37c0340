from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from customers.models import Customer, LeadSource, Stage, Tag
from customers.selectors import customer_get, customer_get_for, customer_list_for, phone_viewer_for
from customers.serializers import (
    CustomerDetailSerializer,
    CustomerFilterSerializer,
    CustomerOutputSerializer,
    CustomerUpdateSerializer,
    LeadSourceSerializer,
    TagSerializer,
)
from customers.services.customers import customer_update
from customers.services.tags import tag_create, tag_update
from sitadmin.drf import FixedCodeMixin, ProtectedDestroyMixin
from staff.permissions import IsManagerOrReadOnly, IsStaffMember


class LeadSourceViewSet(FixedCodeMixin, ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Lead sources (线索来源) by `code`: every staff member reads, managers write."""

    queryset = LeadSource.objects.all()
    serializer_class = LeadSourceSerializer
    permission_classes = [IsManagerOrReadOnly]
    filterset_fields = ["kind"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"


class TagViewSet(FixedCodeMixin, ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Tags (标签) by `code`, with their group's name (病症, 场景…): every staff member reads, managers write."""

    queryset = Tag.objects.select_related("group")
    serializer_class = TagSerializer
    permission_classes = [IsManagerOrReadOnly]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def perform_create(self, serializer):
        serializer.instance = tag_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = tag_update(tag=serializer.instance, data=serializer.validated_data)


class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Customers the user may see: all (manager), their team's (team lead) or their own (operator).

    Phone numbers are masked unless the viewer is a manager or the customer's owner.
    """

    permission_classes = [IsStaffMember]
    serializer_class = CustomerOutputSerializer
    # Only for schema generation: every read goes through the scoped selectors.
    queryset = Customer.objects.none()
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "phone_viewer": phone_viewer_for(user=self.request.user)}

    def get_object(self) -> Customer:
        try:
            return customer_get_for(user=self.request.user, customer_id=int(self.kwargs["pk"]))
        except (Customer.DoesNotExist, ValueError) as exc:
            raise NotFound(gettext("没有这个客户")) from exc

    @extend_schema(
        parameters=[
            OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values),
            OpenApiParameter("source", OpenApiTypes.STR, description="lead-source code"),
            OpenApiParameter("owner", OpenApiTypes.STR, description="owner's username"),
            OpenApiParameter("tag", OpenApiTypes.STR, description="tag code"),
            OpenApiParameter(
                "search",
                OpenApiTypes.STR,
                description="name, external id or remark; a phone by its whole number or its last four digits",
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        # An empty parameter (`?stage=`, as a blank form field sends it) means no filter.
        filters = CustomerFilterSerializer(data={k: v for k, v in request.query_params.items() if v != ""})
        filters.is_valid(raise_exception=True)
        customers = customer_list_for(user=request.user, filters=filters.validated_data)
        page = self.paginate_queryset(customers)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=CustomerDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(CustomerDetailSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(request=CustomerUpdateSerializer, responses=CustomerDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        customer = self.get_object()
        serializer = CustomerUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer_update(customer=customer, data=serializer.validated_data, changed_by=request.user)
        # Re-read unscoped: a team lead who just released the customer still gets the answer (masked).
        customer = customer_get(customer_id=customer.pk)
        return Response(CustomerDetailSerializer(customer, context=self.get_serializer_context()).data)
