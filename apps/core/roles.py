"""Newsroom roles and what each may do.

Roles are Django groups so an administrator can assign them in the admin.
Every view checks the capability it needs on every request; templates only
use the same functions to decide what to show.
"""

from functools import wraps

from django.db import models

from .http import refuse


class Role(models.TextChoices):
    EDITOR = "editor", "Editor"
    REVIEWER = "reviewer", "Reviewer"
    VIEWER = "viewer", "Viewer"


def roles_of(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_quotetrail_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._quotetrail_roles = cached
    return cached


def can_tag(user) -> bool:
    """Editors and reviewers create and change quotes."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(roles_of(user) & {Role.EDITOR, Role.REVIEWER})


def can_import(user) -> bool:
    """Editors bring articles in; reviewers and viewers do not."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.EDITOR in roles_of(user)


def can_review(user) -> bool:
    """Reviewers approve and reject work and manage claims."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.REVIEWER in roles_of(user)


def requires(capability):
    """View decorator: 403 unless `capability(request.user)` holds.

    Anonymous users never reach the view: LoginRequiredMiddleware sends them
    to the login page first.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not capability(request.user):
                refuse()
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
