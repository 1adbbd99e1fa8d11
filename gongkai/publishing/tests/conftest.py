from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _publishing_test_settings(settings: Any, tmp_path: Any) -> None:
    """Fast hasher for the tree's users; uploads go to a per-test folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_WECHAT_APPID = ""
    settings.GONGKAI_WECHAT_SECRET = ""
