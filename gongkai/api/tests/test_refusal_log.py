"""A refused page (PermissionDenied → 403) is the permission rule at work, not a
server error: the server log gets one line saying who, where and why — no
traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from gongkai.publishing.tests.test_views_and_api import login

pytestmark = pytest.mark.django_db


def test_a_refused_page_is_logged_in_one_line_without_a_traceback(
    tree: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    # The street's supervisor may read its cases but not register one.
    login(client, tree.street_supervisor, tree.street)
    with caplog.at_level(logging.INFO):
        response = client.get("/office/requests/appeals/new/")
    assert response.status_code == 403
    assert not [r for r in caplog.records if r.exc_info or r.exc_text]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    lines = [r.getMessage() for r in caplog.records]
    refusals = [line for line in lines if "/office/requests/appeals/new/" in line]
    assert len(refusals) == 1, lines
    (line,) = refusals
    assert "\n" not in line
    assert "t_street_supervisor" in line
    assert tree.street.name in line  # the reason the page gives: where it is refused
