from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.utils.translation import gettext_lazy as _

from customers.models import (
    Customer,
    Event,
    ImportJob,
    ImportRowError,
    LeadSource,
    Order,
    OwnershipPeriod,
    StageTransition,
    Tag,
    TagGroup,
)
from customers.phones import phone_normalize
from customers.privacy.crypto import phone_decrypt
from customers.privacy.search import phone_search_q
from customers.wecom import admin as wecom_admin  # noqa: F401  (registers the WeCom callbacks page)
from sitadmin.readonly_admin import ReadOnlyAdmin


@admin.register(LeadSource)
class LeadSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


class TagInline(admin.TabularInline):
    model = Tag
    extra = 0


@admin.register(TagGroup)
class TagGroupAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [TagInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group"]
    list_filter = ["group"]
    list_select_related = ["group"]
    search_fields = ["code", "name"]


class StageTransitionInline(admin.TabularInline):
    model = StageTransition
    extra = 0
    fields = ["at", "from_stage", "to_stage", "cause", "event", "changed_by"]
    readonly_fields = fields
    can_delete = False


class OwnershipPeriodInline(admin.TabularInline):
    model = OwnershipPeriod
    extra = 0
    fields = ["staff", "started_at", "ended_at", "cause", "changed_by"]
    readonly_fields = fields
    can_delete = False


class CustomerAdminForm(forms.ModelForm):
    # Room for a spelling such as "+86 138-0013-8000"; stored as its 11 digits.
    phone = forms.CharField(label=_("手机号"), max_length=32, required=False)

    class Meta:
        model = Customer
        fields = ["phone", "external_id", "name", "remark", "source", "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not a model field: the number is stored encrypted (`Customer.phone` decrypts it).
        if self.instance.pk:
            self.initial["phone"] = self.instance.phone

    def clean(self):
        data = super().clean()
        if "phone" in data:
            self.instance.phone = data["phone"]
        return data

    def clean_phone(self) -> str | None:
        """Stored normalised, as imports and events key customers by it (docs/domain.md §Vocabulary)."""
        raw = self.cleaned_data.get("phone")
        if not raw:
            return None
        phone = phone_normalize(raw)
        if phone is None:
            raise forms.ValidationError(_("不是大陆手机号"))
        return phone


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    form = CustomerAdminForm
    # Owners and stages change only through their services, which record each change (docs/domain.md §Vocabulary).
    list_display = ["id", "name", "masked_phone", "external_id", "source", "owner", "stage", "created_at"]
    list_filter = ["stage", "source", "owner__team"]
    list_select_related = ["source", "owner__user"]
    # A phone is found by its whole number or its last four digits (see `get_search_results`).
    search_fields = ["name", "external_id", "remark"]
    autocomplete_fields = ["tags"]
    readonly_fields = ["owner", "stage", "created_at", "updated_at"]
    inlines = [StageTransitionInline, OwnershipPeriodInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # The admin leaves out a many-to-many with its own link model; CustomerTag is a bare link
        # (no columns of its own), so the tags are edited as before.
        if db_field.name == "tags":
            kwargs.setdefault(
                "widget", AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
            )
            return db_field.formfield(**kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: Customer) -> str:
        return obj.masked_phone

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        phone = phone_search_q(search_term)
        if phone is not None:
            found |= queryset.filter(phone)
        return found, may_have_duplicates


@admin.register(StageTransition)
class StageTransitionAdmin(admin.ModelAdmin):
    list_display = ["customer_id", "from_stage", "to_stage", "at", "cause", "changed_by"]
    list_filter = ["to_stage", "cause"]
    list_select_related = ["changed_by"]
    search_fields = ["customer__name", "event__client_id"]
    raw_id_fields = ["customer", "event", "changed_by"]
    show_full_result_count = False


@admin.register(OwnershipPeriod)
class OwnershipPeriodAdmin(admin.ModelAdmin):
    list_display = ["customer_id", "staff", "started_at", "ended_at", "cause", "changed_by"]
    list_filter = ["cause", "staff__team"]
    list_select_related = ["staff__user", "changed_by"]
    search_fields = ["customer__name", "staff__user__username"]
    raw_id_fields = ["customer", "staff", "changed_by"]
    show_full_result_count = False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    # Events come in through `events_ingest`, which applies their effects (stage, owner, orders);
    # deleting one by hand would leave the stage, owner and orders it led to behind.
    list_display = ["client_id", "type", "at", "customer_id", "staff", "group", "direction", "amount"]
    list_filter = ["type", "direction"]
    list_select_related = ["staff__user", "group"]
    search_fields = ["client_id", "order_no", "customer__external_id"]
    raw_id_fields = ["customer", "staff", "script", "group", "source"]
    show_full_result_count = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["order_no", "customer_id", "amount", "ordered_at", "import_job_id"]
    search_fields = ["order_no", "customer__name"]
    raw_id_fields = ["customer", "event", "import_job"]
    date_hierarchy = "ordered_at"
    show_full_result_count = False


class ImportRowErrorInline(admin.TabularInline):
    model = ImportRowError
    extra = 0
    fields = ["row_number", "shown_value", "reason"]
    readonly_fields = fields
    can_delete = False
    max_num = 0

    @admin.display(description=_("值"))
    def shown_value(self, obj: ImportRowError) -> str:
        return _row_error_value(obj)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "file_name",
        "source",
        "team",
        "allocation",
        "status",
        "progress",
        "total_rows",
        "created",
        "updated",
        "duplicates",
        "invalid",
        "created_at",
    ]
    list_filter = ["status", "allocation", "source"]
    list_select_related = ["source", "team"]
    search_fields = ["file_name"]
    readonly_fields = ["created_by", "created_at", "started_at", "finished_at"]


@admin.register(ImportRowError)
class ImportRowErrorAdmin(admin.ModelAdmin):
    list_display = ["job_id", "row_number", "shown_value", "reason"]
    search_fields = ["reason", "value"]
    raw_id_fields = ["job"]
    exclude = ["phone_encrypted"]
    show_full_result_count = False

    @admin.display(description=_("值"))
    def shown_value(self, obj: ImportRowError) -> str:
        return _row_error_value(obj)


def _row_error_value(obj: ImportRowError) -> str:
    """The cell at fault; a phone cell decrypted (the admin is for managers, who see numbers in full)."""
    return phone_decrypt(obj.phone_encrypted) if obj.phone_encrypted else obj.value
