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


class CaptchaUse(models.Model):
    """A CAPTCHA token already answered (``gongkai.portal.guards``): one try each.

    Rows live as long as a token (two hours) and are deleted as new ones come.
    """

    nonce = models.CharField(max_length=40, unique=True)
    used_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "已使用的验证题"
        verbose_name_plural = "已使用的验证题"

    def __str__(self) -> str:
        return self.nonce
