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


class ApplicantCode(models.Model):
    """A one-time sign-in code for 我的申请, sent to an applicant's e-mail or mobile.

    Neither the address nor the code is stored: ``target_digest`` is the keyed digest
    of the normalised address (the same as ``InfoRequest.email_digest`` /
    ``phone_digest``), ``code_digest`` a keyed digest of the code with this row's
    random ``nonce``. A code works once, for ``GONGKAI_APPLICANT_CODE_MINUTES``, and
    at most ``MAX_TRIES`` wrong answers burn it (``gongkai.portal.applicant``)."""

    MAX_TRIES = 5

    nonce = models.CharField(max_length=40, unique=True)
    kind = models.CharField("渠道", max_length=10)
    target_digest = models.CharField(max_length=64)
    code_digest = models.CharField(max_length=64)
    address_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "申请人登录验证码"
        verbose_name_plural = "申请人登录验证码"
        indexes = [
            models.Index(fields=["target_digest", "created_at"], name="code_target")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
