"""Idempotent submissions (issue 23 §7): a submission carries a key; sent again with
the same key it returns the first result, never a second application."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from gongkai.ops.models import SubmissionKey

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,100}")


def valid_key(key: str | None) -> bool:
    return bool(key) and KEY_PATTERN.fullmatch(key or "") is not None


def first_result(scope: str, key: str) -> dict[str, Any] | None:
    row = SubmissionKey.objects.filter(scope=scope, key=key).first()
    if row is None or not row.result:
        return None
    result: dict[str, Any] = json.loads(row.result)
    return result


def submit_once(
    scope: str, key: str, create: Callable[[], dict[str, Any]]
) -> tuple[dict[str, Any], bool]:
    """``create()`` at most once per (scope, key): (its result, True) the first time,
    (the first result, False) for a resubmission, also one racing the first.

    The key row is inserted before ``create()`` in the same transaction: a
    concurrent second submission waits on the unique index (PostgreSQL) or the write
    lock (SQLite) until the first commits, then fails to insert and reads the first
    result. If the first fails, its row is rolled back with it and a retry runs anew.
    """
    found = first_result(scope, key)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            row = SubmissionKey.objects.create(scope=scope, key=key)
            result = create()
            row.result = json.dumps(result, ensure_ascii=False)
            row.save(update_fields=["result"])
    except IntegrityError:
        found = first_result(scope, key)
        if found is None:
            raise
        return found, False
    return result, True
