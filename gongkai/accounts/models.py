from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in to the back office.

    What a user may do comes only from their memberships (``orgs.Membership``);
    ``is_staff``/``is_superuser`` are not used for business permissions.
    """

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("办公电话", max_length=30, blank=True)
    # Demo accounts are created by `load_demo`; production refuses to start
    # while any exists unless GONGKAI_ALLOW_DEMO_ACCOUNTS is set.
    is_demo = models.BooleanField("演示账号", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
