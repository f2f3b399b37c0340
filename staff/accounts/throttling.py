"""Per-endpoint request rates from `settings.API_THROTTLE_RATES`, read at request time."""

from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle


class SettingsScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle (per user, or per IP signed out); a view names its `throttle_scope`."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)
