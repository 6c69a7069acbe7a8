"""Core's one table: the version counters of derived data (see versions.py)."""

from django.db import models


class Version(models.Model):
    """How many times one part of the archive (an article, a claim, a speaker…) changed."""

    key = models.CharField(max_length=80, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
