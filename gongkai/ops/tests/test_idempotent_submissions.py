"""Issue 23 §7: the online form and the API's register carry an idempotency key; the
same submission sent again returns the first result, never a second application —
also when the two arrive at the same moment."""

from __future__ import annotations

import contextlib
import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.inforequests.tests.test_applicant_side import (
    APPLICANT_EMAIL,
    solve_captcha,
)
from gongkai.ops.idempotency import submit_once
from gongkai.ops.models import SubmissionKey

API = "/api/requests/"


def _form(client: Client, tree: Any) -> dict[str, str]:
    page = client.get(reverse("portal:apply", args=[tree.street.pk])).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    return {
        "applicant_type": "natural",
        "applicant_name": "李四",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "",
        "email": APPLICANT_EMAIL,
        "address": "",
        "postcode": "",
        "legal_representative": "",
        "contact_person": "",
        "description": "2026年洛浦街道道路维修项目的招标公告",
        "form": "electronic",
        "delivery": "email",
        "website": "",
        "submission_key": key,
        **solve_captcha(client, tree.street),
    }


def _numbers(page: str) -> tuple[str, str]:
    tracking = re.search(r'id="tracking">([^<]+)<', page).group(1)
    code = re.search(r'id="query-code">([^<]+)<', page).group(1)
    return tracking, code


@pytest.mark.django_db
def test_the_same_online_form_sent_twice_is_one_application(client, tree) -> None:
    url = reverse("portal:apply", args=[tree.street.pk])
    data = _form(client, tree)
    first = client.post(url, data, follow=True)
    # The browser sends the same form again (the first answer never arrived): its
    # CAPTCHA answer is used up, yet the person sees the first result, not an error.
    again = Client().post(url, data, follow=True)
    assert InfoRequest.objects.count() == 1
    assert _numbers(first.content.decode()) == _numbers(again.content.decode())
    # The stored result (with the query code) is encrypted at rest.
    raw = SubmissionKey.objects.get().result
    with connection.cursor() as cursor:
        cursor.execute("SELECT result FROM ops_submissionkey")
        stored = cursor.fetchone()[0]
    assert _numbers(first.content.decode())[1] in raw
    assert _numbers(first.content.decode())[1] not in stored
    # A new form (a new key) is a new application.
    client.post(url, _form(client, tree), follow=True)
    assert InfoRequest.objects.count() == 2


def _register(client: Client, tree: Any, key: str | None) -> Any:
    body = {
        "organisation_id": tree.street.pk,
        "channel": "in_person",
        "submitted_on": "2026-09-18",
        "applicant_type": "natural",
        "applicant_name": "王小明",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13912345678",
        "address": "河南省洛阳市老城区某路1号",
        "description": "2026年洛浦街道老旧小区改造项目的资金安排文件",
    }
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(API, body, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_the_api_register_with_the_same_key_returns_the_first_result(
    client, tree
) -> None:
    client.force_login(tree.officer)
    key = "retry-after-timeout-0001"
    first = _register(client, tree, key)
    again = _register(client, tree, key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert InfoRequest.objects.count() == 1
    # Keys are per account: another officer's same key is another submission.
    other = Client()
    other.force_login(tree.head)
    assert _register(other, tree, key).status_code == 201
    assert InfoRequest.objects.count() == 2
    bad = _register(client, tree, "short")
    assert bad.status_code in (400, 422)
    assert "Idempotency-Key" in bad.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_two_submissions_with_one_key_at_the_same_moment_make_one(tree) -> None:
    if connection.vendor == "sqlite" and "memory" in str(
        connection.settings_dict["NAME"]
    ):
        pytest.skip("needs a database shared by threads (PostgreSQL or a file)")
    made: list[int] = []
    inside = threading.Barrier(2, timeout=5)
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    def create() -> dict[str, Any]:
        made.append(1)
        with contextlib.suppress(threading.BrokenBarrierError):
            inside.wait()  # both inside at once, if the key let both in
        return {"n": len(made)}

    def submit() -> None:
        try:
            results.append(submit_once("test", "same-key-0123456789", create)[0])
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(made) == 1
    assert results[0] == results[1]
    assert SubmissionKey.objects.filter(key="same-key-0123456789").count() == 1


@pytest.mark.django_db
def test_keys_are_forgotten_after_a_week() -> None:
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    submit_once("test", "old-key-0123456789ab", lambda: {"n": 1})
    submit_once("test", "new-key-0123456789ab", lambda: {"n": 2})
    SubmissionKey.objects.filter(key="old-key-0123456789ab").update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    call_command("prune_submission_keys")
    assert list(SubmissionKey.objects.values_list("key", flat=True)) == [
        "new-key-0123456789ab"
    ]
