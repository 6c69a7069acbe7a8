"""Core's tables: the version counters of derived data and their journals (see versions.py)."""

from django.db import models


class Version(models.Model):
    """How many times one part of the archive (an article, a claim, a speaker…) changed."""

    key = models.CharField(max_length=80, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class Change(models.Model):
    """One item a write changed, numbered by its journal counter's value at that write.

    The counter (a `Version` row) is bumped under its row lock until the write
    commits, so numbers are handed out in commit order: once a reader sees the
    counter at n, every change numbered up to n is committed and visible."""

    journal = models.CharField(max_length=80)
    seq = models.BigIntegerField()
    item = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["journal", "seq"], name="core_change_journal_seq")]

    def __str__(self) -> str:
        return f"{self.journal}#{self.seq}: {self.item}"
