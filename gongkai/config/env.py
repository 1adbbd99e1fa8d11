"""Tiny typed readers for settings from the environment.

Each accepts ``NAME_FILE`` (a path whose contents are the value) for secrets
mounted as files, and raises ``ImproperlyConfigured`` with a message that
names the variable, so a bad deployment fails at start-up, not at first use.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"配置项 {name}_FILE 指向的文件无法读取：{file_path}（{exc.strerror}）"
            ) from exc
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"缺少必需的配置项 {name}（环境变量）。")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"配置项 {name} 的值“{raw}”无效：应为 true/false、1/0、yes/no 或 on/off。"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"配置项 {name} 的值“{raw}”不是整数。") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(
            f"配置项 {name} 不能小于 {minimum}（当前为 {value}）。"
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of IP networks (CIDR; a bare address is one host)."""
    items = env_list(name, default)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"配置项 {name} 中的“{item}”不是有效的 IP 地址或网段（CIDR）。"
            ) from exc
    return items
