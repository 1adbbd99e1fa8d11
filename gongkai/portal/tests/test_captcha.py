"""Issue 18 (F8): viewing the apply page writes no session row; the CAPTCHA
token is signed, expires and is good for one try only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.portal.models import CaptchaUse
from gongkai.portal.tests.test_portal import application, read_captcha

pytestmark = pytest.mark.django_db

TYPED = "2026年洛浦街道道路维修项目的招标公告"


def _apply_url(tree) -> str:
    return reverse("portal:apply", args=[tree.street.pk])


def test_viewing_the_apply_page_writes_no_session(client, tree):
    for _ in range(5):
        response = client.get(_apply_url(tree))
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    assert CaptchaUse.objects.count() == 0  # nothing stored for a mere view


@time_machine.travel("2026-09-18 10:00 +0800")
def test_the_right_answer_is_accepted_once_and_a_replay_is_refused(client, tree):
    answer = read_captcha(client.get(_apply_url(tree)).content.decode())
    first = client.post(_apply_url(tree), application(**answer))
    assert first.status_code == 302 and InfoRequest.objects.count() == 1
    again = client.post(_apply_url(tree), application(**answer))
    assert again.status_code == 200
    assert "验证题答案不正确" in again.content.decode()
    assert InfoRequest.objects.count() == 1


@time_machine.travel("2026-09-18 10:00 +0800")
def test_one_token_cannot_be_used_to_try_every_answer(client, tree):
    answer = read_captcha(client.get(_apply_url(tree)).content.decode())
    for guess in range(2, 19):
        client.post(_apply_url(tree), application(**{**answer, "captcha": str(guess)}))
    # only the first guess was checked; the right one among the later is refused
    right_first = answer["captcha"] == "2"
    assert InfoRequest.objects.count() == (1 if right_first else 0)


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_wrong_answer_keeps_the_typed_form_and_asks_a_new_question(client, tree):
    answer = read_captcha(client.get(_apply_url(tree)).content.decode())
    wrong = str(int(answer["captcha"]) + 1)
    page = client.post(
        _apply_url(tree), application(**{**answer, "captcha": wrong})
    ).content.decode()
    assert "验证题答案不正确" in page and TYPED in page and "李四" in page
    box = re.search(r'<input[^>]*name="captcha"[^>]*>', page).group(0)
    assert "value=" not in box  # a new question: its box starts empty
    fresh = read_captcha(page)
    assert fresh["captcha_token"] != answer["captcha_token"]
    done = client.post(_apply_url(tree), application(**fresh))
    assert done.status_code == 302 and InfoRequest.objects.count() == 1


@time_machine.travel("2026-09-18 10:00 +0800")
@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "eyJuIjoiYSIsImQiOiJiIn0:1u:forged", "x" * 5000],
)
def test_a_missing_or_forged_token_is_refused_in_chinese(client, tree, token):
    answer = read_captcha(client.get(_apply_url(tree)).content.decode())
    response = client.post(
        _apply_url(tree), application(**{**answer, "captcha_token": token})
    )
    assert response.status_code == 200
    assert "验证题答案不正确" in response.content.decode()
    assert not InfoRequest.objects.exists()


def test_an_expired_question_is_refused(client, tree):
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False) as clock:
        answer = read_captcha(client.get(_apply_url(tree)).content.decode())
        clock.shift(timedelta(hours=3))
        page = client.post(_apply_url(tree), application(**answer)).content.decode()
    assert "验证题答案不正确" in page and TYPED in page
    assert not InfoRequest.objects.exists()


def test_spent_tokens_are_forgotten_after_their_lifetime(client, tree):
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False) as clock:
        answer = read_captcha(client.get(_apply_url(tree)).content.decode())
        client.post(_apply_url(tree), application(**{**answer, "captcha": "99"}))
        assert CaptchaUse.objects.count() == 1
        clock.shift(timedelta(hours=3))
        answer = read_captcha(client.get(_apply_url(tree)).content.decode())
        client.post(_apply_url(tree), application(**{**answer, "captcha": "99"}))
        assert CaptchaUse.objects.count() == 1  # the old one purged


def _fields_in_error(page: str) -> set[str]:
    return set(re.findall(r'class="field field--invalid" data-field="(\w+)"', page))


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_wrong_answer_does_not_hide_the_applications_own_errors(client, tree):
    """Issue 17: with a wrong answer only the CAPTCHA error was shown; a wrong ID
    number came up on the next try, after a new question."""
    answer = read_captcha(client.get(_apply_url(tree)).content.decode())
    wrong = str(int(answer["captcha"]) + 1)
    # the right ID with a wrong check character (the form's own checks pass it)
    bad_id = RESIDENT_ID[:-1] + ("0" if RESIDENT_ID[-1] != "0" else "1")
    page = client.post(
        _apply_url(tree),
        application(**{**answer, "captcha": wrong, "id_number": bad_id}),
    ).content.decode()
    assert _fields_in_error(page) == {"captcha", "id_number"}
    box = re.search(r'<input[^>]*name="captcha"[^>]*>', page).group(0)
    assert "value=" not in box
    assert not InfoRequest.objects.exists()


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_wrong_answer_is_named_with_the_other_field_errors(client, tree):
    """Issue 17: a form with a missing name was answered without checking the
    CAPTCHA; after filling the name, the stale answer failed on the next try."""
    answer = read_captcha(client.get(_apply_url(tree)).content.decode())
    wrong = str(int(answer["captcha"]) + 1)
    page = client.post(
        _apply_url(tree),
        application(**{**answer, "captcha": wrong, "applicant_name": ""}),
    ).content.decode()
    assert _fields_in_error(page) == {"captcha", "applicant_name"}
    assert TYPED in page
    box = re.search(r'<input[^>]*name="captcha"[^>]*>', page).group(0)
    assert "value=" not in box
