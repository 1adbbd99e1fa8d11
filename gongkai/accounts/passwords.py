"""The 等保 password profile: character classes, history, expiry.

Length, common and numeric-only passwords are Django's own validators (settings).
Every number comes from the environment (``GONGKAI_PASSWORD_*``, ``.env.example``).
"""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation as _dj
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.accounts.models import PasswordHistory, User

_CLASSES = (
    ("大写字母", lambda c: c.isascii() and c.isupper()),
    ("小写字母", lambda c: c.isascii() and c.islower()),
    ("数字", lambda c: c.isdigit()),
    ("特殊字符", lambda c: not c.isalnum() or c in string.punctuation),
)


def character_classes(password: str) -> int:
    return sum(1 for _, test in _CLASSES if any(test(c) for c in password))


class CharacterClassValidator:
    """At least ``min_classes`` of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min(max(min_classes, 1), len(_CLASSES))

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。"


class PasswordHistoryValidator:
    """The new password must differ from the current one and the last ``keep`` ones.

    ``password_changed`` (called by Django whenever a password is saved) records the
    new hash and the time, which also drives expiry.
    """

    def __init__(self, keep: int = 5) -> None:
        self.keep = max(keep, 0)

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None) or self.keep == 0:
            return

        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list(
                "password", flat=True
            )[: self.keep]
        )
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, h) for h in hashes if h):
            raise ValidationError(
                f"新密码不能与最近 {self.keep} 次使用过的密码相同。",
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return

        now = timezone.now()
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now
        if self.keep == 0:
            return
        PasswordHistory.objects.create(
            user=user, password=user.password, changed_at=now
        )
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            self.keep :
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return f"不能与最近 {self.keep} 次使用过的密码相同。"


def password_expired(user: Any, now: Any = None) -> bool:
    """True when the password is older than ``PASSWORD_MAX_AGE_DAYS`` (0 = never)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not getattr(user, "is_authenticated", False):
        return False
    changed = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - changed > timedelta(days=days)


# Django's own validators, with their messages in Chinese whatever the active
# language (management commands and the API run outside the locale middleware).
class MinimumLengthValidator(_dj.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"


class CommonPasswordValidator(_dj.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "密码过于常见，容易被猜中。"

    def get_help_text(self) -> str:
        return "不能使用常见密码。"


class NumericPasswordValidator(_dj.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全部为数字。"

    def get_help_text(self) -> str:
        return "密码不能全部为数字。"


class UserAttributeSimilarityValidator(_dj.UserAttributeSimilarityValidator):
    """Django's similarity check, plus: a password that contains the username
    (any case) is refused however long the rest is (Django's ratio lets
    ``wangwei2024!Abc`` through for ``wangwei``)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = str(getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(
                "密码不能包含用户名。", code="password_contains_username"
            )
        super().validate(password, user)

    def get_error_message(self) -> str:
        return "密码与用户名、姓名等个人信息过于相似。"

    def get_help_text(self) -> str:
        return "密码不能与用户名、姓名等个人信息过于相似。"
