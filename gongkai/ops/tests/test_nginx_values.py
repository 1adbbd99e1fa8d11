"""The generated nginx site takes its numbers and names from the settings: the body
limit from GONGKAI_UPLOAD_MAX_MB, the read timeout from GONGKAI_WEB_TIMEOUT, and
server_name from ALLOWED_HOSTS with a subdomain pattern (".example.gov.cn") kept as
the domain and its subdomains. (nginx -t of such a site: test_nginx.py.)"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _site(*args: str) -> str:
    out = io.StringIO()
    call_command("nginx_config", *args, stdout=out)
    return out.getvalue()


def _directive(text: str, name: str) -> list[str]:
    return re.findall(rf"^\s*{name} ([^;]+);", text, flags=re.MULTILINE)


def test_the_body_limit_and_timeout_follow_the_settings(settings, monkeypatch):
    settings.UPLOAD_MAX_MB = 50
    monkeypatch.setenv("GONGKAI_WEB_TIMEOUT", "120")
    text = _site("--server-name", "gk.example.gov.cn")
    # 50 MB files plus 5 MB of form; gunicorn's 120 s plus 10 s
    assert _directive(text, "client_max_body_size") == ["55m"]
    assert _directive(text, "proxy_read_timeout") == ["130s"]


def test_the_defaults_match_the_shipped_settings(settings, monkeypatch):
    settings.UPLOAD_MAX_MB = 20
    monkeypatch.delenv("GONGKAI_WEB_TIMEOUT", raising=False)
    text = _site("--server-name", "gk.example.gov.cn")
    assert _directive(text, "client_max_body_size") == ["25m"]
    assert _directive(text, "proxy_read_timeout") == ["70s"]


def test_a_subdomain_pattern_becomes_the_domain_and_its_subdomains(settings):
    settings.ALLOWED_HOSTS = [".example.gov.cn", "gk.other.gov.cn", "*", "testserver"]
    text = _site()
    expected = "example.gov.cn *.example.gov.cn gk.other.gov.cn"
    assert _directive(text, "server_name") == [expected, expected]


def test_a_bad_web_timeout_is_refused_in_chinese(monkeypatch):
    monkeypatch.setenv("GONGKAI_WEB_TIMEOUT", "sixty")
    with pytest.raises(CommandError, match="不是整数"):
        _site("--server-name", "gk.example.gov.cn")
