"""Applications handed in at a 社区居民委员会 (not a disclosure body) are the 街道's
(条例第二十七条): intake on the screen and the API, the case page, table 三, the
tallies, the 文号 guard and the data migration of cases registered at a 社区 before."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.inforequests import letter_settings as LS
from gongkai.inforequests import letters as L
from gongkai.inforequests import tallies
from gongkai.inforequests.models import (
    InfoRequest,
    Letter,
    LetterSequence,
    RequestTally,
)
from gongkai.inforequests.selectors import table3_for
from gongkai.inforequests.tests.factories import (
    RESIDENT_ID,
    register,
    registration,
    staff_intake_form,
)

pytestmark = pytest.mark.django_db


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def _form(**overrides: str) -> dict[str, str]:
    return staff_intake_form(
        **{"description": "甲社区2026年公益岗位录用名单", **overrides}
    )


# --------------------------------------------------------------------------- screen


def test_a_liaisons_registration_lands_at_the_street_with_where_it_was_handed_in(
    client, tree
):
    client.force_login(tree.liaison_a)
    url = reverse("inforequests:register")
    with at("2026-09-18"):
        page = client.get(url).content.decode()
        response = client.post(
            url,
            _form(organisation=str(tree.community_a.pk), submitted_on="2026-09-17"),
            follow=True,
        )
        case = InfoRequest.objects.get()
        detail = client.get(reverse("inforequests:detail", args=[case.pk]))
        listed = client.get(reverse("inforequests:list")).content.decode()
    assert "收件机构" in page and "转交测试街道办事处受理" in page
    assert case.organisation == tree.street
    assert case.handed_in_at == tree.community_a
    # Handed in on Thursday, registered on Friday: received on the hand-in day (第三十一条).
    assert (case.submitted_on, case.received_on) == (date(2026, 9, 17),) * 2
    assert case.tracking_number == f"GK{tree.street.pk}-2026-00001"
    receipt = case.letters.get()
    assert receipt.number == "测街公开〔2026〕1号"
    assert receipt.content["issuing_body"] == "测试街道办事处"
    assert (
        "本申请由您在甲社区居民委员会提交，由本机关依法受理和答复。"
        in (receipt.content["paragraphs"])
    )
    # The liaison cannot open the street's case: back to the intake form with the
    # number and the query code.
    assert response.redirect_chain[-1][0] == url
    body = response.content.decode()
    assert case.tracking_number in body and "申请人查询码" in body
    assert "经由甲社区居民委员会转交，由测试街道办事处受理" in body
    assert detail.status_code == 404
    assert case.tracking_number not in listed
    assert not LetterSequence.objects.filter(organisation=tree.community_a).exists()


def test_the_case_page_says_where_it_was_handed_in(client, tree):
    client.force_login(tree.officer)
    with at("2026-09-18"):
        response = client.post(
            reverse("inforequests:register"),
            _form(organisation=str(tree.community_b.pk)),
            follow=True,
        )
    case = InfoRequest.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "inforequests:detail", args=[case.pk]
    )
    body = response.content.decode()
    assert "经由乙社区居民委员会转交" in body
    assert (case.organisation, case.handed_in_at) == (tree.street, tree.community_b)


def test_a_liaison_cannot_register_at_another_community(client, tree):
    client.force_login(tree.liaison_b)
    with at("2026-09-18"):
        response = client.post(
            reverse("inforequests:register"),
            _form(organisation=str(tree.community_a.pk)),
        )
    assert response.status_code == 400
    assert not InfoRequest.objects.exists()
    with pytest.raises(PermissionDenied, match="甲社区居民委员会"):
        register(tree.liaison_b, tree.community_a)


def test_a_registration_at_the_street_itself_records_no_hand_in_point(tree):
    with at("2026-09-18"):
        case = register(tree.officer, tree.street)
    assert case.handed_in_at is None


# --------------------------------------------------------------------------- counts


def test_it_counts_in_the_streets_table_three_and_tallies(tree):
    with at("2026-09-18"):
        register(tree.liaison_a, tree.community_a)
        register(tree.officer, tree.street)
    street = table3_for(tree.street, 2026)
    assert (street["s3.new.natural"], street["s3.carry_forward.natural"]) == (2, 2)
    assert table3_for(tree.community_a, 2026)["s3.new.total"] == 0
    assert RequestTally.objects.get(organisation=tree.street, year=2026).received == 2
    assert not RequestTally.objects.filter(organisation=tree.community_a).exists()


# --------------------------------------------------------------------------- 文号


def test_a_community_cannot_get_a_document_number(tree):
    with pytest.raises(
        ValidationError, match=r"甲社区居民委员会.*不是政府信息公开主体"
    ):
        LS.next_document_number(tree.community_a, 2026)
    assert not LetterSequence.objects.filter(organisation=tree.community_a).exists()
    assert LS.next_document_number(tree.street, 2026) == "测街公开〔2026〕1号"


# --------------------------------------------------------------------------- API


def _api_body(org) -> dict:
    return {
        "organisation_id": org.pk,
        "channel": "in_person",
        "submitted_on": "2026-09-18",
        "applicant_type": "natural",
        "applicant_name": "王小明",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13912345678",
        "description": "甲社区2026年公益岗位录用名单",
    }


def test_the_api_registers_a_liaisons_intake_at_the_street(client, tree):
    client.force_login(tree.liaison_a)
    with at("2026-09-18"):
        response = client.post(
            "/api/requests/",
            _api_body(tree.community_a),
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
        out = response.json()["request"]
        assert client.get(f"/api/requests/{out['id']}").status_code == 404
        client.force_login(tree.officer)
        read = client.get(f"/api/requests/{out['id']}").json()
        direct = client.get("/api/requests/", {"status": "all"}).json()["items"]
    assert out["organisation_id"] == tree.street.pk
    assert out["handed_in_at_id"] == tree.community_a.pk
    assert out["handed_in_at_name"] == "甲社区居民委员会"
    assert (read["organisation_id"], read["handed_in_at_id"]) == (
        tree.street.pk,
        tree.community_a.pk,
    )
    assert [i["handed_in_at_id"] for i in direct] == [tree.community_a.pk]


def test_the_api_refuses_a_liaison_at_another_community(client, tree):
    client.force_login(tree.liaison_b)
    with at("2026-09-18"):
        response = client.post(
            "/api/requests/",
            _api_body(tree.community_a),
            content_type="application/json",
        )
    assert response.status_code == 404
    assert not InfoRequest.objects.exists()


# --------------------------------------------------------------------------- migration


def test_the_data_migration_moves_a_communitys_cases_to_the_street(tree):
    with at("2026-09-18"):
        kept, _code, _receipt = L.register(
            actor=tree.officer, organisation=tree.street, registration=registration()
        )
        legacy, _code, _receipt = L.register(
            actor=tree.officer, organisation=tree.street, registration=registration()
        )
    # As registered before this change: at the 社区, with the 社区's own 文号.
    InfoRequest.objects.filter(pk=legacy.pk).update(
        organisation=tree.community_a, serial=1, tracking_number="GK9-2026-00001"
    )
    Letter.objects.filter(request=legacy).update(number="甲社公开〔2026〕1号")
    tallies.rebuild()
    assert RequestTally.objects.get(organisation=tree.community_a).received == 1
    module = importlib.import_module(
        "gongkai.inforequests.migrations.0007_fill_handed_in_at"
    )
    module.fill_handed_in_at(apps, None)
    # The migration empties the tallies; ``migrate``'s post_migrate recounts them.
    assert not RequestTally.objects.exists()
    tallies.rebuild_if_empty()
    legacy.refresh_from_db()
    assert (legacy.organisation, legacy.handed_in_at) == (tree.street, tree.community_a)
    # The tracking number (and so the query code) and the letters already issued stay.
    assert legacy.tracking_number == "GK9-2026-00001"
    assert legacy.letters.get().number == "甲社公开〔2026〕1号"
    assert legacy.serial == 3 and kept.serial == 1
    assert RequestTally.objects.get(organisation=tree.street).received == 2
    assert RequestTally.objects.filter(organisation=tree.community_a).count() == 0
    assert table3_for(tree.street, 2026)["s3.new.total"] == 2
    # The next letter of the moved case is the street's.
    assert LS.next_document_number(legacy.organisation, 2026) == "测街公开〔2026〕3号"
