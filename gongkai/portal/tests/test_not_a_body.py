"""The portal column of a 社区居民委员会 (not a disclosure body): no application form of
its own; it shows where to apply — the 街道's form."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organisation
from gongkai.orgs.tests.factories import make_org
from gongkai.portal.tests.test_portal import application, read_captcha

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-09-18 10:00 +0800")
def test_the_apply_page_of_a_community_sends_to_the_streets_form(client, tree):
    url = reverse("portal:apply", args=[tree.community_a.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain == [
        (reverse("portal:apply", args=[tree.street.pk]), 302)
    ]
    page = response.content.decode()
    assert "甲社区居民委员会不是政府信息公开主体" in page
    assert "向测试街道办事处提出申请" in page
    assert "测试街道办事处" in page.split("<h1>")[0]  # the street's page frame


@time_machine.travel("2026-09-18 10:00 +0800")
def test_posting_to_a_communitys_apply_page_takes_no_application(client, tree):
    answer = read_captcha(
        client.get(reverse("portal:apply", args=[tree.street.pk])).content.decode()
    )
    response = client.post(
        reverse("portal:apply", args=[tree.community_a.pk]),
        application(**answer),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:apply", args=[tree.street.pk])
    assert not InfoRequest.objects.exists()


def test_the_column_of_a_community_shows_where_to_apply(client, tree):
    page = client.get(reverse("portal:column", args=[tree.community_a.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    street_apply = reverse("portal:apply", args=[tree.street.pk])
    assert f'href="{street_apply}"' in body
    assert reverse("portal:apply", args=[tree.community_a.pk]) not in body
    assert "不是政府信息公开主体" in body and "向测试街道办事处申请公开" in body
    street = client.get(reverse("portal:column", args=[tree.street.pk])).content
    assert "在线申请公开" in street.decode()


def test_the_guide_of_a_community_names_the_street_as_the_receiving_body(client, tree):
    tree.street.office_name = "测试街道党政综合办公室"
    tree.street.save()
    body = client.get(reverse("portal:guide", args=[tree.community_a.pk])).content
    text = body.decode()
    assert "测试街道党政综合办公室" in text
    assert "申请由测试街道办事处受理" in text


def test_a_point_with_no_body_above_says_so_in_chinese(client, tree):
    lone = make_org("某独立社区", None, kind="community")
    assert not Organisation.objects.get(pk=lone.pk).is_disclosure_body
    response = client.get(reverse("portal:apply", args=[lone.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "不受理政府信息公开申请" in body and '<form method="post"' not in body
