"""The four inputs that gave a 500 (issue 17): each is answered in Chinese, on the
page of the form, with what was typed kept."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from gongkai.publishing.models import Publication
from gongkai.reports import services as r
from gongkai.reports.models import AnnualReport, ManualFigure

pytestmark = pytest.mark.django_db


def _login(client: Any, user: Any, org: Any) -> None:
    client.force_login(user)
    session = client.session
    session["gongkai_active_org"] = org.pk
    session.save()


@pytest.mark.parametrize(
    ("formed_on", "words"),
    [
        ("1900-01-01", "早于中华人民共和国成立之日（1949年10月1日）"),
        ("2099-12-31", "不能晚于今天"),
    ],
)
def test_a_formed_on_outside_the_calendar_is_answered_on_the_form(
    tree: Any, client: Any, formed_on: str, words: str
) -> None:
    _login(client, tree.officer, tree.street)
    response = client.post(
        "/office/publishing/items/new/",
        {
            "title": "关于老旧小区改造的通知",
            "formed_on": formed_on,
            "genre": "notice",
            "attribute": "proactive",
            "body": "<p>内容</p>",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and words in page
    assert 'value="关于老旧小区改造的通知"' in page and f'value="{formed_on}"' in page
    assert not Publication.objects.exists()


def test_intake_with_a_submission_date_of_1900_is_refused_in_words(
    tree: Any, client: Any
) -> None:
    _login(client, tree.officer, tree.street)
    response = client.post(
        "/office/requests/new/",
        {
            "organisation": tree.street.pk,
            "channel": "in_person",
            "submitted_on": "1900-01-01",
            "applicant_type": "natural",
            "applicant_name": "张三",
            "id_type": "resident_id",
            "id_number": "110101199003074514",
            "phone": "13800138000",
            "description": "本街道2025年老旧小区改造名单",
            "form": "paper",
            "delivery": "pickup",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "2008年5月1日" in page
    assert "本街道2025年老旧小区改造名单" in page


@time_machine.travel("2026-12-07 10:00 +0800")
def test_a_manual_figure_too_large_to_store_is_refused_and_kept(
    tree: Any, client: Any
) -> None:
    report = r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    _login(client, tree.officer, tree.street)
    response = client.post(
        f"/office/reports/{report.pk}/do/figure/",
        {"key": "s2.license.decisions", "value": "99999999999", "reason": "旧台账"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "数值超出范围" in page
    assert 'value="99999999999"' in page and 'value="旧台账"' in page
    assert '<option value="s2.license.decisions" selected>' in page
    assert not ManualFigure.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-1", "1e400", "abc"])
def test_odd_numbers_are_refused_in_chinese(tree: Any, client: Any, value: str) -> None:
    report = r.report_generate(actor=tree.officer, organisation=tree.street, year=2025)
    _login(client, tree.officer, tree.street)
    response = client.post(
        f"/office/reports/{report.pk}/do/figure/",
        {"key": "s3.new.natural", "value": value, "reason": "旧台账"},
    )
    assert response.status_code == 400
    assert not ManualFigure.objects.exists()


@pytest.mark.parametrize("year", [2018, 1900, 2099, 99999])
def test_a_rollup_of_a_year_without_the_form_is_answered_in_words(
    tree: Any, client: Any, year: int
) -> None:
    _login(client, tree.supervisor, tree.district)
    response = client.get(f"/office/reports/rollup/{year}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert f"没有{year}年的汇总" in page and "/office/reports/rollup/2021/" in page


@time_machine.travel("2026-12-07 10:00 +0800")
def test_this_years_report_is_drafted_but_not_submitted_before_the_year_ends(
    tree: Any, client: Any
) -> None:
    report = r.report_generate(actor=tree.officer, organisation=tree.street, year=2026)
    _login(client, tree.officer, tree.street)
    detail = client.get(f"/office/reports/{report.pk}/").content.decode()
    assert "2027年1月1日起可以提交审核" in detail  # said before, not offered
    assert f"/office/reports/{report.pk}/do/submit/" not in detail
    response = client.post(f"/office/reports/{report.pk}/do/submit/", follow=True)
    page = response.content.decode()
    assert "2027年1月1日起可以提交审核" in page and "条例第四十九条" in page
    assert AnnualReport.objects.get(pk=report.pk).status == "draft"


def test_last_years_report_is_submitted_with_a_confirmation_that_says_so(
    tree: Any, client: Any
) -> None:
    with time_machine.travel("2026-12-07 10:00 +0800"):
        report = r.report_generate(
            actor=tree.officer, organisation=tree.street, year=2025
        )
        _login(client, tree.officer, tree.street)
        response = client.post(f"/office/reports/{report.pk}/do/submit/", follow=True)
    page = response.content.decode()
    assert "已将2025年年度报告（第1版）提交审核" in page and "操作已完成" not in page
    assert AnnualReport.objects.get(pk=report.pk).status == "submitted"


# "²".isdigit() is true and int("²") raises: a number checked with isdigit() alone
# gave a 500 (found by this session's review).
@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/gk/{street}/publications/?year=²"),
        ("supervisor", "/office/supervision/?year=²"),
        ("supervisor", "/office/supervision/scores/?year=²"),
    ],
)
def test_a_superscript_digit_in_an_address_is_no_fault(
    tree: Any, client: Any, who: str | None, path: str
) -> None:
    if who:
        _login(client, getattr(tree, who), tree.district)
    response = client.get(path.format(street=tree.street.pk))
    assert response.status_code in (200, 302, 404), response.status_code


def test_an_identity_number_with_odd_digits_is_refused_in_words() -> None:
    from gongkai.core.identifiers import IdentifierError, validate_resident_id

    for odd in ("1101051949123100²1", "፩1010519491231002X"):
        with pytest.raises(IdentifierError):
            validate_resident_id(odd)
    # Full-width digits typed with a Chinese input method are the same number.
    assert (
        validate_resident_id("１１０１０５１９４９１２３１００２Ｘ")
        == "11010519491231002X"
    )
