"""The authentication backend: Django's `ModelBackend`, with the user's staff row read together
with the user.

Every signed-in request reads its user, and nearly every one then asks the user's role
(`staff.roles`), which reads the staff row: one query with a join instead of two.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("staff")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
