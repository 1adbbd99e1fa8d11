from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.orgs.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "用户名" in page and "密码" in page and 'lang="zh-CN"' in page


def test_a_wrong_password_gives_a_chinese_message_and_is_audited(client, tree):
    response = client.post(
        reverse("login"), {"username": "t_officer", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.filter(action="auth.login_failed").latest("id")
    assert event.username == "t_officer" and event.result == "failure"
    assert event.ip == "127.0.0.1"


def test_login_and_logout_are_audited(client, tree):
    client.post(reverse("login"), {"username": "t_head", "password": PASSWORD})
    client.post(reverse("logout"))
    actions = list(
        AuditEvent.objects.filter(username="t_head").values_list("action", flat=True)
    )
    assert "auth.login" in actions and "auth.logout" in actions


def test_the_back_office_requires_login(client, db):
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_empty_login_form_names_the_missing_fields(client, db):
    page = client.post(reverse("login"), {}).content.decode()
    assert "请输入用户名" in page and "请输入密码" in page
