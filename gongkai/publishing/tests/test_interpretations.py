"""政策解读 (issue 21, requirement 1): a 解读 tied to its own body's document, its
timeliness, the 解读率 on the dashboard and in the report draft, and the two-way links
on the portal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.publishing.models import Publication
from gongkai.publishing.selectors import interpretation_figures
from gongkai.publishing.tests.factories import make_live, make_publication

pytestmark = pytest.mark.django_db


def _published(pub: Publication, day: date) -> None:
    at = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    Publication.objects.filter(pk=pub.pk).update(published_at=at)


def _normative(tree: Any, title: str, day: date) -> Publication:
    doc = make_live(tree.street, tree.officer, tree.head, title, genre="normative")
    _published(doc, day)
    return doc


def _interpretation(
    tree: Any, doc: Publication, day: date, **fields: Any
) -> Publication:
    interp = make_live(
        tree.street,
        tree.officer,
        tree.head,
        f"《{doc.title}》解读",
        genre="interpretation",
        interprets=doc,
        **fields,
    )
    _published(interp, day)
    return interp


@pytest.fixture
def three_documents(tree: Any) -> dict[str, Publication]:
    # 30 Sep 2024 is day zero; 1–7 Oct are the National Day holiday: the third
    # working day is 10 October (2024 holiday notice).
    a = _normative(tree, "甲办法", date(2024, 9, 30))
    b = _normative(tree, "乙办法", date(2024, 9, 30))
    c = _normative(tree, "丙办法", date(2024, 9, 30))
    _interpretation(tree, a, date(2024, 10, 10))
    _interpretation(tree, b, date(2024, 10, 11))
    return {"a": a, "b": b, "c": c}


def test_interpretation_rate_counts_only_timely_ones(
    tree: Any, three_documents: dict[str, Publication], settings: Any
) -> None:
    settings.INTERPRETATION_WORKING_DAYS = 3
    row = interpretation_figures([tree.street], 2024, today=date(2024, 12, 31))[
        tree.street.pk
    ]
    assert (row.total, row.timely, row.rate) == (3, 1, 33.3)
    missing = {doc.title: state.label for doc, state in row.missing}
    assert missing == {"乙办法": "解读逾期", "丙办法": "缺少解读"}
    # Another body's figures are its own.
    other = interpretation_figures([tree.sibling_street], 2024)[tree.sibling_street.pk]
    assert other.total == 0 and other.rate is None


def test_the_number_of_days_is_a_setting(
    tree: Any, three_documents: dict[str, Publication], settings: Any
) -> None:
    settings.INTERPRETATION_WORKING_DAYS = 4  # 11 October is then in time
    row = interpretation_figures([tree.street], 2024, today=date(2024, 12, 31))[
        tree.street.pk
    ]
    assert (row.timely, row.rate) == (2, 66.7)


def test_dashboard_shows_the_rate_and_the_missing_ones(
    client: Any, tree: Any, three_documents: dict[str, Publication]
) -> None:
    client.force_login(tree.supervisor)
    page = client.get("/office/supervision/?year=2024").content.decode()
    assert "解读率" in page and "33.3%" in page
    assert "乙办法" in page and "丙办法" in page
    assert "解读逾期" in page and "缺少解读" in page


def test_report_draft_states_the_rate(
    tree: Any, three_documents: dict[str, Publication]
) -> None:
    from gongkai.reports.drafting import draft_sections, gather_facts

    facts = gather_facts(tree.street, 2024, {}, "")
    assert (facts.normative, facts.interpreted_on_time) == (3, 1)
    assert "解读率33.3%" in draft_sections(facts)["一"]


def test_a_interpretation_of_another_bodys_document_is_refused(tree: Any) -> None:
    from gongkai.orgs.tests.factories import make_user

    other_officer = make_user("o_officer", tree.sibling_street, "officer")
    foreign = make_publication(
        tree.sibling_street, other_officer, "邻街道办法", genre="normative"
    )
    before = Publication.objects.count()
    with pytest.raises(ValidationError) as refused:
        make_publication(
            tree.street,
            tree.officer,
            "解读",
            genre="interpretation",
            interprets=foreign,
        )
    assert "只能关联本机构制发的文件" in refused.value.messages[0]
    assert "邻街道办法" not in refused.value.messages[0]
    assert Publication.objects.count() == before


def test_bad_interpretation_fields_are_refused(tree: Any) -> None:
    doc = make_publication(tree.street, tree.officer, "办法", genre="normative")
    before = Publication.objects.count()
    cases = [
        ({"genre": "interpretation"}, "须选择所解读的文件"),
        (
            {
                "genre": "interpretation",
                "interprets": doc,
                "interpretation_form": "media",
            },
            "请填写音视频的链接地址",
        ),
        ({"genre": "notice", "interprets": doc}, "只有体裁为“政策解读”"),
    ]
    for fields, message in cases:
        with pytest.raises(ValidationError) as refused:
            make_publication(tree.street, tree.officer, "解读", **fields)
        assert message in " ".join(refused.value.messages)
    assert Publication.objects.count() == before


def test_document_and_interpretation_link_each_other_on_the_portal(
    client: Any, tree: Any
) -> None:
    doc = make_live(
        tree.street, tree.officer, tree.head, "物业管理办法", genre="normative"
    )
    interp = make_live(
        tree.street,
        tree.officer,
        tree.head,
        "图解物业管理办法",
        genre="interpretation",
        interprets=doc,
        interpretation_form="graphic",
    )
    doc_url = f"/gk/{tree.street.pk}/publications/{doc.pk}/"
    interp_url = f"/gk/{tree.street.pk}/publications/{interp.pk}/"
    doc_page = client.get(doc_url).content.decode()
    assert f'href="{interp_url}"' in doc_page and "图解" in doc_page
    interp_page = client.get(interp_url).content.decode()
    assert f'href="{doc_url}"' in interp_page and "的政策解读" in interp_page
