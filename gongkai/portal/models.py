from __future__ import annotations

from django.db import models


class PortalContentVersion(models.Model):
    """One counter, raised whenever something the public portal shows changes.

    Cached portal pages are keyed by it (``gongkai.portal.cache``), so a change
    reaches every web process at once: the counter lives in the database, not in a
    per-process cache.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "门户内容版本"
        verbose_name_plural = "门户内容版本"

    def __str__(self) -> str:
        return str(self.value)
