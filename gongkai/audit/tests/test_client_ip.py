"""Issue 18 F2: the client address comes from REMOTE_ADDR unless the peer is a trusted
proxy; a forged or malformed X-Real-IP / X-Forwarded-For changes nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.accounts.models import LoginFailure
from gongkai.audit.middleware import client_ip
from gongkai.audit.models import AuditEvent
from gongkai.orgs.tests.factories import PASSWORD
from gongkai.portal.guards import rate_limited

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.GONGKAI_TRUSTED_PROXIES = ["10.0.0.0/24", "::1/128"]


def _login(client, username, password=PASSWORD, **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, **headers
    )


def test_without_trusted_proxies_the_headers_are_ignored(rf, settings):
    settings.GONGKAI_TRUSTED_PROXIES = []
    request = rf.get(
        "/",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_REAL_IP="198.51.100.1",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert client_ip(request) == "203.0.113.9"


def test_a_forged_header_from_an_untrusted_client_is_ignored(rf, behind_proxy):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP="198.51.100.1")
    assert client_ip(request) == "203.0.113.9"


def test_from_a_trusted_proxy_the_right_most_untrusted_address_is_used(
    rf, behind_proxy
):
    request = rf.get(
        "/",
        REMOTE_ADDR=PROXY,
        # the client prepended a forged entry; nginx appended the real peer
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.6",
        HTTP_X_REAL_IP="10.0.0.6",
    )
    assert client_ip(request) == "198.51.100.7"
    request = rf.get("/", REMOTE_ADDR="::1", HTTP_X_REAL_IP="2001:db8::1")
    assert client_ip(request) == "2001:db8::1"


@pytest.mark.parametrize(
    "value",
    ["not-an-ip", "1.2.3.4:80", "' OR 1=1 --", "fe80::1%eth0", "9" * 5000],
)
def test_a_header_that_is_not_an_address_falls_back_to_remote_addr(
    rf, behind_proxy, value
):
    for header in ("HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR"):
        request = rf.get("/", REMOTE_ADDR=PROXY, **{header: value})
        assert client_ip(request) == PROXY


def test_a_bad_remote_addr_gives_no_address(rf):
    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None
    assert client_ip(rf.get("/", REMOTE_ADDR="unix:/run/gunicorn.sock")) is None


@pytest.mark.django_db
def test_the_address_lock_cannot_be_escaped_with_a_forged_header(
    client, tree, settings
):
    settings.LOCKOUT_ADDRESS_ATTEMPTS = 3
    for i in range(3):
        _login(
            client,
            f"nobody{i}",
            "wrong",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_REAL_IP=f"198.51.100.{i}",
        )
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"203.0.113.9"}
    page = _login(
        client, "t_head", REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP="198.51.100.99"
    ).content.decode()
    assert "网络地址" in page and "临时锁定" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_is_locked_and_audited(
    client, tree, settings, behind_proxy
):
    settings.LOCKOUT_ADDRESS_ATTEMPTS = 3
    for i in range(3):
        _login(
            client,
            f"nobody{i}",
            "wrong",
            REMOTE_ADDR=PROXY,
            HTTP_X_REAL_IP="198.51.100.7",
        )
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"198.51.100.7"}
    page = _login(
        client, "t_head", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.7"
    ).content.decode()
    assert "临时锁定" in page
    # another client behind the same proxy is not locked
    response = _login(
        client, "t_head", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.8"
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(ip="198.51.100.7").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["not-an-ip", "<script>", "1.2.3.4:80", "x" * 300])
def test_a_non_ip_header_never_gives_a_500_nor_reaches_the_audit_log(
    client, tree, behind_proxy, value
):
    response = _login(
        client, "t_officer", "wrong", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=value
    )
    assert response.status_code == 200
    assert _login(client, "t_officer", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=value)
    ips = set(AuditEvent.objects.exclude(ip=None).values_list("ip", flat=True))
    assert ips == {PROXY}
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {PROXY}


def test_the_portal_rate_limit_ignores_a_forged_header(rf, behind_proxy):
    cache.clear()
    for i in range(3):
        request = rf.post(
            "/gk/status/", REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP=f"198.51.100.{i}"
        )
        assert not rate_limited(request, "t", limit=2, window_seconds=60) or i == 2
    assert rate_limited(request, "t", limit=2, window_seconds=60)
    # a trusted proxy's header does separate clients
    cache.clear()
    for i in range(3):
        request = rf.post(
            "/gk/status/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=f"198.51.100.{i}"
        )
        assert not rate_limited(request, "t", limit=1, window_seconds=60)
