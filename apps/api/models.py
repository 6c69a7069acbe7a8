from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Tokens that still open the API: not revoked, and their owner not deactivated."""
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def of(self, user):
        return self.filter(user=user)


class ApiToken(models.Model):
    """A personal token for the JSON API; it acts with its owner's role.

    Only the SHA-256 digest of the token is kept, so a copy of the database opens
    nothing. A plain fast hash is right here, unlike for passwords: the token is 256
    random bits, so there is nothing to guess from a digest and no need for a slow,
    salted hash (which would also rule out finding the token by its digest).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100,
        validators=[ProhibitNullCharactersValidator()],
        help_text="What the token is for, e.g. “CMS sync”.",
    )
    # The token's first characters, not secret: lets its owner tell which token is which.
    prefix = models.CharField(max_length=16, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"
        constraints = [
            # A revoked token keeps its name, so the name can be given to its replacement.
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_name_unique_among_active",
                violation_error_message="You already have an active token with this name.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
