from django.contrib import admin

from campaigns.activities.models import Campaign, CampaignDraw, Referral


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "starts_on", "ends_on", "goal", "group", "prize"]
    list_filter = ["kind"]
    list_select_related = ["group"]
    search_fields = ["code", "name"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["referrer_id", "customer_id", "at", "event"]
    list_select_related = ["event"]
    raw_id_fields = ["event", "referrer", "customer"]
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(CampaignDraw)
class CampaignDrawAdmin(admin.ModelAdmin):
    """Draws are kept as drawn: read-only here."""

    list_display = ["campaign", "seed", "winners_wanted", "qualified", "drawn_at", "drawn_by"]
    list_filter = ["campaign"]
    readonly_fields = ["campaign", "seed", "winners_wanted", "qualified", "winners", "drawn_at", "drawn_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
