"""Lockout after repeated failed sign-ins, per account and per address.

A failed attempt is a :class:`LoginFailure` row. When, within ``LOCKOUT_MINUTES``,
an account has ``LOCKOUT_ACCOUNT_ATTEMPTS`` uncleared failures, or an address has
``LOCKOUT_ADDRESS_ATTEMPTS``, further sign-ins are refused until the window passes
or the 安全管理员 unlocks (audited). :class:`LockoutBackend` sits first in
``AUTHENTICATION_BACKENDS`` so every sign-in path (the login page, the admin) is
covered; the login form shows the Chinese reason.

Atomic (issue 18, F7): checking the count and recording the failure used to be
two steps, so 30 parallel wrong passwords were all checked before the first
failure was written (12 got through with a limit of 5). Now the backend, under
a row lock per account name and per address (:class:`LoginGate`, one short
transaction that never includes the password hash), counts the failures and
*reserves* the attempt as a failure row before the password is checked; a
correct password clears it at sign-in. So at most the limit of attempts are
ever checked, however many arrive at once.

Why not django-axes (a dependency already): it has the same check-then-record
order (``is_allowed`` before the password, the failure written afterwards from
the ``user_login_failed`` signal), so parallel attempts race past it the same
way; and it has one failure limit for all lock parameters, where we need 5 per
account and 20 per address, with the 安全管理员's audited unlock screen.
"""

from __future__ import annotations

import zlib
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts.models import LoginFailure, LoginGate
from gongkai.accounts.types import Actor
from gongkai.audit.middleware import client_ip
from gongkai.audit.services import audit_record


def _norm(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


@dataclass(frozen=True)
class Lock:
    kind: str  # "account" | "address"
    key: str
    until: datetime

    @property
    def message(self) -> str:
        minutes = max(1, int((self.until - timezone.now()).total_seconds() // 60) + 1)
        who = "该账号" if self.kind == "account" else "您所在的网络地址"
        return (
            f"{who}因连续登录失败已被临时锁定，请约 {minutes} 分钟后再试，"
            "或联系安全管理员解锁。"
        )


def _lock_for(kind: str, key: str, limit: int) -> Lock | None:
    if not key:
        return None
    field = "username" if kind == "account" else "ip"
    stats = LoginFailure.objects.filter(
        **{field: key}, cleared=False, at__gte=_window_start()
    ).aggregate(n=Count("id"), last=Max("at"))
    if stats["n"] >= limit:
        return Lock(
            kind, key, stats["last"] + timedelta(minutes=settings.LOCKOUT_MINUTES)
        )
    return None


def current_lock(username: str, ip: str | None) -> Lock | None:
    return _lock_for(
        "account", _norm(username), settings.LOCKOUT_ACCOUNT_ATTEMPTS
    ) or _lock_for("address", ip or "", settings.LOCKOUT_ADDRESS_ATTEMPTS)


def locked_accounts() -> list[dict[str, Any]]:
    """Accounts and addresses locked now, for the 安全管理员's screen."""
    rows = []
    recent = LoginFailure.objects.filter(cleared=False, at__gte=_window_start())
    for kind, field, limit in (
        ("account", "username", settings.LOCKOUT_ACCOUNT_ATTEMPTS),
        ("address", "ip", settings.LOCKOUT_ADDRESS_ATTEMPTS),
    ):
        for row in (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(n=Count("id"), last=Max("at"))
            .filter(n__gte=limit)
            .order_by(field)
        ):
            rows.append(
                {
                    "kind": kind,
                    "key": row[field],
                    "failures": row["n"],
                    "until": row["last"] + timedelta(minutes=settings.LOCKOUT_MINUTES),
                }
            )
    return rows


def lockout_clear(*, actor: Actor, kind: str, key: str) -> int:
    """Unlock an account or an address (the 安全管理员; the caller checks permission)."""
    field = "username" if kind == "account" else "ip"
    cleared = LoginFailure.objects.filter(**{field: key}, cleared=False).update(
        cleared=True
    )
    audit_record(
        action="security.unlock",
        actor=actor,
        details={"kind": kind, "key": key, "failures_cleared": cleared},
    )
    return cleared


# What the backend did in this authenticate() call: "reserved" (the failure row
# is written already), "refused" (locked: not an attempt), or None.
_attempt: ContextVar[str | None] = ContextVar("gongkai_login_attempt", default=None)


# Gate rows are buckets (a stable CRC of the name or address), so a spray of
# made-up names or addresses cannot grow the table: at most 2 × GATE_BUCKETS rows.
# Two names in one bucket only wait for each other a moment; counts stay exact.
GATE_BUCKETS = 4096


def _gate_key(kind: str, value: str) -> str:
    return f"{kind}:{zlib.crc32(value.encode('utf-8')) % GATE_BUCKETS}"


def _gate_rows(username: str, ip: str | None) -> None:
    """Lock the gate rows of this account name and address (in key order, so two
    sign-ins never wait on each other crosswise)."""
    keys = sorted({_gate_key("a", username), *([_gate_key("i", ip)] if ip else [])})
    LoginGate.objects.bulk_create(
        [LoginGate(key=k) for k in keys], ignore_conflicts=True
    )
    list(LoginGate.objects.select_for_update().filter(key__in=keys).order_by("key"))


def attempt_reserve(username: str, ip: str | None) -> Lock | None:
    """Count and reserve one sign-in attempt atomically; the lock if refused."""
    name = _norm(username)
    with transaction.atomic():
        _gate_rows(name, ip)
        lock = current_lock(name, ip)
        if lock is None:
            LoginFailure.objects.create(username=name, ip=ip, at=timezone.now())
    return lock


class LockoutBackend:
    """Refuses every sign-in while the account or the address is locked, and
    otherwise reserves the attempt before any later backend checks the password.

    It never authenticates anybody itself; raising ``PermissionDenied`` stops
    ``authenticate()`` before the password is even checked.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, **kwargs: Any
    ) -> None:
        _attempt.set(None)
        if username is None and "email" not in kwargs:
            return None  # not a password sign-in (another backend's credentials)
        ip = client_ip(request) if request is not None else None
        lock = attempt_reserve(username or kwargs.get("email", "") or "", ip)
        if lock is not None:
            _attempt.set("refused")
            if request is not None:
                request._gongkai_lock = lock  # type: ignore[attr-defined]
            audit_record(
                action="auth.login_locked",
                result="denied",
                username=_norm(username or ""),
                details={"kind": lock.kind},
            )
            raise PermissionDenied(lock.message)
        _attempt.set("reserved")
        return None


@receiver(user_login_failed)
def _record_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    done, _ = _attempt.get(), _attempt.set(None)
    if done is not None:
        return  # reserved before the password check, or refused while locked
    username = _norm(str(credentials.get("username", "")))
    ip = client_ip(request) if request is not None else None
    LoginFailure.objects.create(username=username, ip=ip, at=timezone.now())


@receiver(user_logged_in)
def _clear_on_success(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A proven password clears the account's failures, its own reservation too."""
    _attempt.set(None)
    LoginFailure.objects.filter(
        username=_norm(user.get_username()), cleared=False
    ).update(cleared=True)
