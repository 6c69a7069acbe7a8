"""Authentication backend: the signed-in user and their roles in one query.

Every page needs both (views check capabilities, templates show what a role may
do), so the user is loaded with its group names aggregated alongside instead of
a second query for the groups on every request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import StringAgg, Value

SEPARATOR = "\x1f"  # group names may contain commas; never this control character


class RoleAwareBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            role_names=StringAgg("groups__name", delimiter=Value(SEPARATOR), default=Value(""))
        )
        user = users.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user._quotetrail_roles = frozenset(filter(None, user.role_names.split(SEPARATOR)))
        return user
