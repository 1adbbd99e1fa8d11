"""Art. 26 (20 working days from formation) and Art. 53(2) (stale catalogue items)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from gongkai.publishing import services
from gongkai.publishing.selectors import catalogue_stale_for, publication_late_for
from gongkai.publishing.services import publication_due_date
from gongkai.publishing.tests.factories import make_live, make_publication

pytestmark = pytest.mark.django_db


def _on(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def test_due_date_counts_twenty_working_days_across_national_day() -> None:
    # 2021-09-30 is day zero; 10-01..07 are holidays, 10-09 (Sat) is a make-up
    # working day: 10-08=1, 10-09=2, 10-11..15=3..7, 10-18..22=8..12,
    # 10-25..29=13..17, 11-01=18, 11-02=19, 11-03=20.
    assert publication_due_date(date(2021, 9, 30)) == date(2021, 11, 3)


def test_due_date_of_an_ordinary_month() -> None:
    # 2021-03-01 (Mon): four full weeks of working days → Mon 2021-03-29.
    assert publication_due_date(date(2021, 3, 1)) == date(2021, 3, 29)


def test_a_catalogue_row_with_seven_working_days_sets_a_shorter_due_date(tree) -> None:
    services.catalogue_load_template(actor=tree.officer, organisation=tree.street)
    item = tree.street.catalogue_items.get(item_l2="行政处罚决定")
    pub = make_publication(
        tree.street, tree.officer, formed_on=date(2021, 3, 1), catalogue_item=item
    )
    # 7 working days after Mon 2021-03-01 → Wed 2021-03-10.
    assert pub.due_on == date(2021, 3, 10)
    assert pub.channels == ["portal", "feed", "wechat", "notice_board", "hall_screen"]


def test_items_published_after_the_limit_are_listed_late(tree) -> None:
    with _on("2021-03-26"):
        on_time = make_live(
            tree.street, tree.officer, tree.head, "按时", formed_on=date(2021, 3, 1)
        )
    with _on("2021-03-30"):
        late = make_live(
            tree.street, tree.officer, tree.head, "超期", formed_on=date(2021, 3, 1)
        )
        pending = make_publication(
            tree.street, tree.officer, "未发布", formed_on=date(2021, 3, 1)
        )
        fresh = make_publication(
            tree.street, tree.officer, "新起草", formed_on=date(2021, 3, 29)
        )
        listed = publication_late_for(tree.officer, tree.street)
    assert on_time.due_on == date(2021, 3, 29)
    assert late in listed and pending in listed
    assert on_time not in listed and fresh not in listed


def test_the_late_list_is_scoped(tree) -> None:
    with _on("2021-05-01"):
        make_publication(
            tree.community_b, tree.liaison_b, "乙社区超期", formed_on=date(2021, 3, 1)
        )
        assert publication_late_for(tree.liaison_a) == []
        assert [p.title for p in publication_late_for(tree.officer)] == ["乙社区超期"]


def test_an_item_not_refreshed_within_its_period_is_stale(tree) -> None:
    with _on("2021-01-04"):
        services.catalogue_load_template(
            actor=tree.liaison_a, organisation=tree.community_a
        )
    item = tree.community_a.catalogue_items.get(
        item_l2="低保审核确认及名单公示"
    )  # 30 days
    with _on("2021-01-20"):
        make_live(
            tree.community_a,
            tree.liaison_a,
            tree.head,
            "一月低保名单",
            catalogue_item=item,
            formed_on=date(2021, 1, 15),
        )
    with _on("2021-02-19"):  # 2021-01-20 + 30 days = 02-19: due, not yet stale
        assert item.pk not in {s.item.pk for s in catalogue_stale_for(tree.liaison_a)}
    with _on("2021-02-25"):
        stale = {s.item.pk: s for s in catalogue_stale_for(tree.liaison_a)}
        assert stale[item.pk].last_published == date(2021, 1, 20)
        assert stale[item.pk].due == date(2021, 2, 19)
        assert stale[item.pk].days_overdue == 6
        # The 街道 officer sees the community's stale items; the other liaison does not.
        assert item.pk in {s.item.pk for s in catalogue_stale_for(tree.officer)}
        assert catalogue_stale_for(tree.liaison_b) == []


def test_suggestions_from_requests_are_empty_without_repeated_requests(tree) -> None:
    from gongkai.publishing.selectors import suggest_proactive_from_requests

    assert suggest_proactive_from_requests(tree.street) == []


def test_lateness_uses_the_local_date_of_publication(tree) -> None:
    # Due 2021-03-29. 00:30 on 03-30 in Beijing is still 03-29 in UTC: late all the same.
    with time_machine.travel("2021-03-29 23:30 +0800", tick=False):
        on_time = make_live(
            tree.street, tree.officer, tree.head, "深夜按时", formed_on=date(2021, 3, 1)
        )
    with time_machine.travel("2021-03-30 00:30 +0800", tick=False):
        late = make_live(
            tree.street, tree.officer, tree.head, "凌晨超期", formed_on=date(2021, 3, 1)
        )
        listed = publication_late_for(tree.officer, tree.street)
    assert late in listed and on_time not in listed
    assert late.is_late and not on_time.is_late


# --- Art. 26 "变更之日": an update after the information changed -------------------


def _live_since_february(tree):
    with _on("2021-02-05"):
        return make_live(
            tree.street, tree.officer, tree.head, "收费标准", formed_on=date(2021, 2, 1)
        )


def test_an_update_counts_twenty_working_days_from_the_change(tree) -> None:
    pub = _live_since_february(tree)
    assert not pub.is_late
    # The fee changed on Mon 2021-03-01; the update went out on 2021-03-30, one
    # working day after Mon 2021-03-29 (four full weeks of working days).
    with _on("2021-03-30"):
        pub = services.publication_update(
            actor=tree.officer,
            publication=pub,
            changed_on=date(2021, 3, 1),
            body="<p>新标准</p>",
        )
        listed = publication_late_for(tree.officer, tree.street)
    pub.refresh_from_db()
    assert (pub.changed_on, pub.due_on) == (date(2021, 3, 1), date(2021, 3, 29))
    assert pub.is_late and pub in listed


def test_an_update_within_the_limit_is_on_time(tree) -> None:
    pub = _live_since_february(tree)
    with _on("2021-03-26"):
        pub = services.publication_update(
            actor=tree.officer,
            publication=pub,
            changed_on=date(2021, 3, 1),
            body="<p>新标准</p>",
        )
        assert not pub.is_late
        assert pub not in publication_late_for(tree.officer, tree.street)


def test_an_update_without_a_change_date_counts_from_the_update_itself(tree) -> None:
    pub = _live_since_february(tree)
    with _on("2021-06-01"):
        pub = services.publication_update(
            actor=tree.officer, publication=pub, summary="补充说明"
        )
    assert pub.changed_on == date(2021, 6, 1) and not pub.is_late


@pytest.mark.parametrize(
    ("changed_on", "message"),
    [(date(2021, 7, 1), "不能晚于今天"), (date(2021, 1, 15), "不能早于成文日期")],
)
def test_impossible_change_dates_are_refused_in_chinese(
    tree, changed_on, message
) -> None:
    from django.core.exceptions import ValidationError

    pub = _live_since_february(tree)
    with _on("2021-06-01"), pytest.raises(ValidationError, match=message):
        services.publication_update(
            actor=tree.officer, publication=pub, changed_on=changed_on, summary="x"
        )


def test_a_draft_takes_no_change_date(tree) -> None:
    from django.core.exceptions import ValidationError

    draft = make_publication(tree.street, tree.officer, formed_on=date(2021, 3, 1))
    with pytest.raises(ValidationError, match="草稿"):
        services.publication_update(
            actor=tree.officer,
            publication=draft,
            changed_on=date(2021, 3, 2),
            summary="x",
        )


def test_the_dashboard_counts_a_late_update_as_late(tree) -> None:
    from gongkai.supervision.selectors import dashboard

    pub = _live_since_february(tree)
    with _on("2021-03-30"):
        services.publication_update(
            actor=tree.officer,
            publication=pub,
            changed_on=date(2021, 3, 1),
            body="<p>新标准</p>",
        )
        board = dashboard(tree.street, 2021)
    row = next(u for u in board.units if u.unit.pk == tree.street.pk)
    assert (row.publications, row.late_publications) == (1, 1)


def test_the_edit_screen_asks_for_the_change_date_of_a_live_item_only(
    tree, client
) -> None:
    from django.urls import reverse

    pub = _live_since_february(tree)
    draft = make_publication(tree.street, tree.officer, formed_on=date(2021, 3, 1))
    client.force_login(tree.officer)
    live_form = client.get(reverse("publishing:edit", args=[pub.pk])).content.decode()
    draft_form = client.get(
        reverse("publishing:edit", args=[draft.pk])
    ).content.decode()
    assert "信息变更日期" in live_form and "信息变更日期" not in draft_form


def test_the_api_takes_the_change_date(tree, client) -> None:
    pub = _live_since_february(tree)
    client.force_login(tree.officer)
    with _on("2021-03-30"):
        response = client.patch(
            f"/api/publishing/publications/{pub.pk}",
            {"summary": "新标准", "changed_on": "2021-03-01"},
            content_type="application/json",
        )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["changed_on"], data["due_on"], data["is_late"]) == (
        "2021-03-01",
        "2021-03-29",
        True,
    )


def test_the_catalogue_screen_the_stale_list_and_the_assessment_agree(tree) -> None:
    """One staleness rule (``catalogue_freshness``) behind the 目录 screen, the stale
    list and the supervisor's 目录事项及时更新率; the late count of an item is
    ``Publication.is_late`` through ``late_publication_q(prefix=…)``."""
    from gongkai.publishing.selectors import catalogue_freshness_for
    from gongkai.supervision.metrics import catalogue_current

    with _on("2021-01-04"):
        services.catalogue_load_template(
            actor=tree.liaison_a, organisation=tree.community_a
        )
    item = tree.community_a.catalogue_items.get(item_l2="低保审核确认及名单公示")
    with _on("2021-01-20"):
        on_time = make_live(
            tree.community_a,
            tree.liaison_a,
            tree.head,
            "一月低保名单",
            catalogue_item=item,
            formed_on=date(2021, 1, 15),
        )
    with _on("2021-02-25"):
        late = make_live(
            tree.community_a,
            tree.liaison_a,
            tree.head,
            "补发名单",
            catalogue_item=item,
            formed_on=date(2021, 1, 4),
        )
        pending = make_publication(
            tree.community_a,
            tree.liaison_a,
            "未发布名单",
            catalogue_item=item,
            formed_on=date(2021, 1, 4),
        )
    assert late.is_late and pending.is_late and not on_time.is_late
    with _on("2021-04-01"):
        fresh = catalogue_freshness_for(tree.liaison_a, tree.community_a)[item.pk]
        stale = {s.item.pk: s for s in catalogue_stale_for(tree.liaison_a)}
        metric = catalogue_current(tree.community_a, 2021, date(2021, 4, 1))
    # Last live 2021-02-25 + 30 days = 03-27: 5 days late on 04-01, everywhere.
    assert fresh.last_published == date(2021, 2, 25)
    assert fresh.due == stale[item.pk].due == date(2021, 3, 27)
    assert fresh.days_overdue == stale[item.pk].days_overdue == 5
    assert fresh.late_count == 2  # 补发名单 and 未发布名单
    assert fresh.live_count == 2
    assert str(item) in {label for label, _, _ in metric.records}
    stale_ids = set(stale)
    assert len(metric.records) == len(
        [i for i in stale_ids if tree.community_a.catalogue_items.filter(pk=i).exists()]
    )
