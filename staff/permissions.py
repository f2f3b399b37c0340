"""DRF permissions built on `staff.roles`: who may write what."""

from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, BasePermission

from staff.roles import is_manager, staff_for


class IsStaffMember(BasePermission):
    """Any signed-in user who is a staff member (or a superuser)."""

    message = gettext_lazy("需要员工账号。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (user.is_superuser or staff_for(user) is not None))


class IsManagerOrReadOnly(IsStaffMember):
    """Reads for every staff member; writes for managers only."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS or is_manager(request.user):
            return True
        self.message = gettext_lazy("只有运营负责人可以修改。")
        return False


class IsManager(BasePermission):
    """Managers (and superusers) only; a view says what it refuses with a subclass setting `message`."""

    message = gettext_lazy("只有运营负责人可以这样做。")

    def has_permission(self, request, view) -> bool:
        return is_manager(request.user)
