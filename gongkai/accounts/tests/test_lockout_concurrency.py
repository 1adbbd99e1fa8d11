"""Issue 18 (F7): parallel wrong passwords cannot outrun the lockout.

The attack: 30 wrong passwords for one account sent at once. The count used to
be read before the (slow) password check and written after it, so every
attempt that arrived before the first failure was written got its password
checked — 12 of 30 with a limit of 5. Each thread here is a separate browser
(its own test client, its own database connection) posting to the login page.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 30
WRONG = "用户名或密码错误"
LOCKED = "因连续登录失败已被临时锁定"


def _all_at_once(n: int, post_for, ip_for) -> list[str]:
    barrier = threading.Barrier(n)
    pages: list[str] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            client = Client()
            barrier.wait()
            response = client.post(reverse("login"), post_for(i), REMOTE_ADDR=ip_for(i))
            pages.append(response.content.decode())
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return pages


@pytest.fixture
def slow_hash(settings, tree):
    """The production password hasher (PBKDF2), so a check takes as long as it
    does in production and the attempts really overlap."""
    if connection.vendor == "sqlite" and "memory" in str(
        connection.settings_dict["NAME"]
    ):
        pytest.skip("needs a database shared by threads (PostgreSQL or a file)")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    tree.officer.set_password("Right-Password-2026")
    tree.officer.save(update_fields=["password"])
    return tree


def test_parallel_wrong_passwords_check_no_more_than_the_limit(slow_hash, settings):
    pages = _all_at_once(
        ATTEMPTS,
        lambda i: {"username": "t_officer", "password": "wrong-password"},
        lambda i: "192.0.2.10",
    )
    checked = [p for p in pages if WRONG in p]
    refused = [p for p in pages if LOCKED in p]
    assert len(checked) == settings.LOCKOUT_ACCOUNT_ATTEMPTS
    assert len(refused) == ATTEMPTS - len(checked)
    assert (
        LoginFailure.objects.filter(username="t_officer").count()
        == settings.LOCKOUT_ACCOUNT_ATTEMPTS
    )


def test_parallel_attempts_from_many_addresses_are_bounded_per_account(
    slow_hash, settings
):
    pages = _all_at_once(
        ATTEMPTS,
        lambda i: {"username": "t_officer", "password": "wrong-password"},
        lambda i: f"198.51.100.{i + 1}",
    )
    assert sum(WRONG in p for p in pages) == settings.LOCKOUT_ACCOUNT_ATTEMPTS


def test_parallel_attempts_across_accounts_are_bounded_per_address(slow_hash, settings):
    settings.LOCKOUT_ADDRESS_ATTEMPTS = 8
    pages = _all_at_once(
        ATTEMPTS,
        lambda i: {"username": f"nobody{i}", "password": "wrong-password"},
        lambda i: "203.0.113.5",
    )
    assert sum(WRONG in p for p in pages) == 8
    assert LoginFailure.objects.filter(ip="203.0.113.5").count() == 8


def test_the_right_password_after_parallel_failures_is_still_refused(
    slow_hash, settings
):
    _all_at_once(
        ATTEMPTS,
        lambda i: {"username": "t_officer", "password": "wrong-password"},
        lambda i: "192.0.2.11",
    )
    page = (
        Client()
        .post(
            reverse("login"),
            {"username": "t_officer", "password": "Right-Password-2026"},
            REMOTE_ADDR="192.0.2.11",
        )
        .content.decode()
    )
    assert LOCKED in page
