"""Issue 18 (F5): the 满意度 survey and the 有用/没用 votes (好差评) take one answer
per visitor — a signed cookie per browser, and a limit per address for a visitor
who throws the cookie away. The scores feed 绩效考评, so both are tested through
the figures the supervisor sees."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.feedback import services as s
from gongkai.feedback.models import Feedback, SurveyResponse
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db

ANSWERED_COOKIE = "gk_answered"  # the browser's signed list of answered items
ANSWERS = {"findable": "1", "timely": "1", "clear": "1", "application": "1"}


@pytest.fixture
def survey(tree):
    return s.survey_open(
        actor=tree.officer,
        organisation=tree.street,
        title="2026年满意度测评",
        opens_on=date(2026, 6, 1),
        closes_on=date(2026, 6, 30),
    )


def _answer(client, tree, survey, overall="1", ip="192.0.2.7"):
    return client.post(
        reverse("portal:survey", args=[tree.street.pk, survey.pk]),
        {**ANSWERS, "overall": overall},
        REMOTE_ADDR=ip,
    )


@time_machine.travel("2026-06-10 10:00 +0800")
def test_thirty_answers_from_one_visitor_count_once(client, tree, survey):
    first = _answer(client, tree, survey)
    assert first.status_code == 302
    for _ in range(29):
        again = _answer(client, tree, survey)
        assert again.status_code == 200
        assert "您已参加过本次测评" in again.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    page = client.get(reverse("portal:survey", args=[tree.street.pk, survey.pk]))
    assert "您已参加过本次测评" in page.content.decode()
    assert s.feedback_summary([tree.street], 2026)[tree.street.pk]["responses"] == 1


@time_machine.travel("2026-06-10 10:00 +0800")
def test_a_visitor_who_drops_the_cookie_meets_the_address_limit(tree, survey, settings):
    settings.PORTAL_VOTES_PER_ADDRESS = 3
    pages = [_answer(Client(), tree, survey) for _ in range(30)]
    assert [p.status_code for p in pages].count(302) == 3
    refused = pages[3]
    assert refused.status_code == 200
    assert "同一网络地址提交的答卷已达上限" in refused.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 3
    # a neighbour on another address still answers
    assert _answer(Client(), tree, survey, ip="192.0.2.8").status_code == 302


@time_machine.travel("2026-06-10 10:00 +0800")
def test_a_forged_or_foreign_cookie_neither_blocks_nor_breaks(client, tree, survey):
    client.cookies[ANSWERED_COOKIE] = f'["s{survey.pk}"]'  # not signed
    assert _answer(client, tree, survey).status_code == 302
    other = Client()
    other.cookies[ANSWERED_COOKIE] = "garbage:::" * 50
    assert _answer(other, tree, survey, ip="192.0.2.9").status_code == 302
    assert SurveyResponse.objects.filter(survey=survey).count() == 2


@time_machine.travel("2026-06-10 10:00 +0800")
def test_the_survey_average_cannot_be_pushed_by_one_visitor(tree, survey):
    for overall, ip in (("5", "192.0.2.20"), ("4", "192.0.2.21")):
        assert _answer(Client(), tree, survey, overall, ip).status_code == 302
    attacker = Client()
    for _ in range(30):
        _answer(attacker, tree, survey, "1", "192.0.2.66")
    figures = s.feedback_summary([tree.street], 2026)[tree.street.pk]
    assert (figures["responses"], figures["survey_avg"]) == (3, round(10 / 3, 2))


def _vote(client, tree, publication, useful="0", ip="192.0.2.7"):
    data = {"useful": useful, "next": f"/gk/{tree.street.pk}/"}
    if publication is not None:
        data["publication"] = str(publication.pk)
    return client.post(
        reverse("portal:feedback", args=[tree.street.pk]),
        data,
        REMOTE_ADDR=ip,
        follow=True,
    )


def test_repeated_votes_on_one_item_from_one_visitor_count_once(client, tree):
    publication = make_live(tree.street, tree.officer, tree.head)
    # 15 posts: under the form's own limit of 20 per address and hour
    pages = [_vote(client, tree, publication) for _ in range(15)]
    assert all(p.status_code == 200 for p in pages)
    assert Feedback.objects.filter(publication=publication).count() == 1
    assert "感谢您的反馈" in pages[0].content.decode()
    assert "您已评价过该信息" in pages[1].content.decode()
    # the column's own vote and another item are separate questions
    assert _vote(client, tree, None).status_code == 200
    other = make_live(tree.street, tree.officer, tree.head, title="另一条信息")
    _vote(client, tree, other)
    assert Feedback.objects.filter(useful__isnull=False).count() == 3
    figures = s.feedback_summary([tree.street], date.today().year)[tree.street.pk]
    assert figures["not_useful"] == 3


def test_votes_without_the_cookie_meet_the_address_limit(tree, settings):
    settings.PORTAL_VOTES_PER_ADDRESS = 2
    publication = make_live(tree.street, tree.officer, tree.head)
    # 10 browsers without cookies on one address (the feedback form's own limit
    # of 20 posts per address and hour is not reached)
    pages = [_vote(Client(), tree, publication, "1") for _ in range(10)]
    assert Feedback.objects.filter(publication=publication).count() == 2
    assert "同一网络地址对该信息的评价已达上限" in pages[2].content.decode()
    figures = s.feedback_summary([tree.street], date.today().year)[tree.street.pk]
    assert figures["useful"] == 2


def test_comments_without_a_vote_are_not_limited_by_the_vote_guard(client, tree):
    for i in range(3):
        client.post(
            reverse("portal:feedback", args=[tree.street.pk]),
            {"comment": f"建议{i}", "next": f"/gk/{tree.street.pk}/"},
        )
    assert Feedback.objects.count() == 3
