from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.publishing import services
from gongkai.publishing.models import ChannelDelivery, Publication, PublicationEvent
from gongkai.publishing.tests.factories import make_live, make_publication


def test_a_new_draft_gets_the_default_index_number(tree) -> None:
    pub = make_publication(tree.street, tree.officer, formed_on=date(2021, 3, 1))
    second = make_publication(
        tree.street, tree.officer, "第二条", formed_on=date(2021, 5, 1)
    )
    assert pub.index_no == f"{tree.street.credit_code}/2021-00001"
    assert second.index_no == f"{tree.street.credit_code}/2021-00002"
    assert pub.status == "draft"
    assert pub.issuing_body == tree.street.name


def test_the_index_pattern_is_configurable(tree, settings) -> None:
    settings.GONGKAI_PUBLICATION_INDEX_PATTERN = (
        "{org_code}-{year}{month:02d}-{serial:04d}"
    )
    pub = make_publication(tree.street, tree.officer, formed_on=date(2024, 7, 9))
    assert pub.index_no == f"{tree.street.credit_code[8:17]}-202407-0001"


def test_a_duplicate_index_number_is_refused(tree) -> None:
    make_publication(tree.street, tree.officer, index_no="ABC/2021-00009")
    with pytest.raises(ValidationError) as info:
        make_publication(tree.street, tree.officer, "另一条", index_no="ABC/2021-00009")
    assert "已被本机构的“测试信息”使用" in str(info.value)
    assert Publication.objects.filter(index_no="ABC/2021-00009").count() == 1
    # Another organisation may use the same string (unique per organisation).
    make_publication(tree.community_a, tree.liaison_a, index_no="ABC/2021-00009")


def test_generation_skips_a_number_taken_by_hand(tree) -> None:
    taken = f"{tree.street.credit_code}/2021-00001"
    make_publication(tree.street, tree.officer, "手工编号", index_no=taken)
    pub = make_publication(tree.street, tree.officer, "自动编号")
    assert pub.index_no == f"{tree.street.credit_code}/2021-00002"


def test_the_database_refuses_a_duplicate_index_even_past_the_service(tree) -> None:
    from django.db import IntegrityError, transaction

    pub = make_publication(tree.street, tree.officer)
    clone = Publication(
        organisation=tree.street,
        index_no=pub.index_no,
        year=2021,
        title="x",
        issuing_body="x",
        formed_on=date(2021, 1, 1),
        created_by=tree.officer,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_the_full_path_records_events_audit_rows_and_outbox(tree) -> None:
    audit_before = AuditEvent.objects.count()
    pub = make_publication(tree.street, tree.officer)
    pub = services.publication_submit(actor=tree.officer, publication=pub)
    assert pub.status == "in_review"
    pub = services.publication_approve(
        actor=tree.head, publication=pub, secrecy_checked=True, note="同意"
    )
    assert pub.status == "approved"
    assert pub.reviewed_by == tree.head
    pub = services.publication_publish(actor=tree.officer, publication=pub)
    assert pub.status == "published" and pub.published_at is not None
    actions = list(pub.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "approve", "publish"]
    assert AuditEvent.objects.count() - audit_before == 4
    assert set(pub.deliveries.values_list("channel", flat=True)) == {"portal", "feed"}
    assert set(pub.deliveries.values_list("status", flat=True)) == {"ready"}


def test_only_the_office_head_approves(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    pub = services.publication_submit(actor=tree.officer, publication=pub)
    with pytest.raises(PermissionDenied):
        services.publication_approve(
            actor=tree.officer, publication=pub, secrecy_checked=True
        )
    pub.refresh_from_db()
    assert pub.status == "in_review"


def test_approval_requires_the_secrecy_review(tree) -> None:
    pub = services.publication_submit(
        actor=tree.officer, publication=make_publication(tree.street, tree.officer)
    )
    with pytest.raises(ValidationError, match="保密审查"):
        services.publication_approve(
            actor=tree.head, publication=pub, secrecy_checked=False
        )


def test_a_withheld_item_is_filed_and_can_never_be_published(tree) -> None:
    pub = make_publication(
        tree.street,
        tree.officer,
        attribute="withheld",
        withhold_reason="涉及第三方隐私",
    )
    pub = services.publication_submit(actor=tree.officer, publication=pub)
    pub = services.publication_approve(
        actor=tree.head, publication=pub, secrecy_checked=True
    )
    assert pub.status == "filed"
    with pytest.raises(ValidationError, match="不能执行“发布”操作"):
        services.publication_publish(actor=tree.officer, publication=pub)


def test_withheld_needs_a_reason(tree) -> None:
    with pytest.raises(ValidationError, match="不予公开的信息必须写明理由"):
        make_publication(tree.street, tree.officer, attribute="withheld")


def test_publishing_a_draft_directly_is_refused(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    with pytest.raises(ValidationError, match="信息处于“草稿”状态，不能执行“发布”操作"):
        services.publication_publish(actor=tree.officer, publication=pub)


def test_changing_a_live_item_keeps_revisions_and_requeues_channels(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, title="旧标题")
    ChannelDelivery.objects.filter(publication=pub).update(status="sent")
    pub = services.publication_update(
        actor=tree.officer, publication=pub, title="新标题", note="更正标题"
    )
    assert pub.status == "updated"
    revisions = list(pub.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].title == "旧标题"
    assert revisions[1].changes == {"title": ["旧标题", "新标题"]}
    assert revisions[1].note == "更正标题"
    assert set(pub.deliveries.values_list("status", flat=True)) == {"ready"}


def test_withdrawal_needs_approve_and_a_reason(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head)
    with pytest.raises(PermissionDenied):
        services.publication_withdraw(
            actor=tree.officer, publication=pub, reason="错误"
        )
    with pytest.raises(ValidationError, match="撤回时请写明理由"):
        services.publication_withdraw(actor=tree.head, publication=pub, reason=" ")
    pub = services.publication_withdraw(
        actor=tree.head, publication=pub, reason="内容有误"
    )
    assert pub.status == "withdrawn"
    pub = services.publication_reopen(actor=tree.officer, publication=pub)
    assert pub.status == "draft" and pub.secrecy_checked is False


def test_publish_scheduled_publishes_only_due_items(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    pub = services.publication_submit(actor=tree.officer, publication=pub)
    pub = services.publication_approve(
        actor=tree.head, publication=pub, secrecy_checked=True
    )
    go = timezone.now() + timedelta(hours=2)
    pub = services.publication_schedule(
        actor=tree.officer, publication=pub, go_live_at=go
    )
    assert pub.status == "scheduled"
    call_command("publish_scheduled")
    pub.refresh_from_db()
    assert pub.status == "scheduled"
    with time_machine.travel(go + timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    pub.refresh_from_db()
    assert pub.status == "published"
    assert (
        PublicationEvent.objects.filter(publication=pub, action="go_live").count() == 1
    )


def test_scheduling_in_the_past_is_refused(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    pub = services.publication_submit(actor=tree.officer, publication=pub)
    pub = services.publication_approve(
        actor=tree.head, publication=pub, secrecy_checked=True
    )
    with pytest.raises(ValidationError, match="定时发布时间应晚于当前时间"):
        services.publication_schedule(
            actor=tree.officer,
            publication=pub,
            go_live_at=timezone.now() - timedelta(hours=1),
        )


def test_normative_documents_default_to_valid_and_link_interpretations_both_ways(
    tree,
) -> None:
    from gongkai.publishing.selectors import normative_without_interpretation

    doc = make_publication(tree.street, tree.officer, "管理办法", genre="normative")
    assert doc.validity == "valid" and doc.art20 == "A20_01"
    assert list(normative_without_interpretation(tree.officer, tree.street)) == [doc]
    interp = make_publication(
        tree.street,
        tree.officer,
        "《管理办法》解读",
        genre="interpretation",
        interprets=doc,
    )
    assert list(doc.interpretations.all()) == [interp]
    assert list(normative_without_interpretation(tree.officer, tree.street)) == []


def test_a_repealed_normative_document_needs_its_date(tree) -> None:
    with pytest.raises(ValidationError, match="请填写废止日期"):
        make_publication(
            tree.street, tree.officer, genre="normative", validity="repealed"
        )
    with pytest.raises(ValidationError, match="只有规章和规范性文件"):
        make_publication(tree.street, tree.officer, genre="notice", validity="valid")


def test_a_body_change_is_recorded_as_readable_text(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, body="<p>第一段</p>")
    pub = services.publication_update(
        actor=tree.officer,
        publication=pub,
        body="<p>第一段</p><p>第二段 &amp; 附件</p>",
    )
    latest = pub.revisions.order_by("-number").first()
    assert latest.changes == {"body": ["第一段", "第一段\n第二段 & 附件"]}
    assert latest.body == "<p>第一段</p><p>第二段 &amp; 附件</p>"


def test_the_reviewer_decides_the_disclosure_attribute(tree) -> None:
    pub = services.publication_submit(
        actor=tree.officer, publication=make_publication(tree.street, tree.officer)
    )
    assert pub.due_on is not None
    with pytest.raises(ValidationError, match="不予公开的信息必须写明理由"):
        services.publication_approve(
            actor=tree.head, publication=pub, secrecy_checked=True, attribute="withheld"
        )
    pub.refresh_from_db()
    assert (pub.status, pub.attribute) == ("in_review", "proactive")
    pub = services.publication_approve(
        actor=tree.head,
        publication=pub,
        secrecy_checked=True,
        attribute="withheld",
        withhold_reason="涉及个人隐私（条例第十五条）",
    )
    assert (pub.status, pub.attribute, pub.due_on) == ("filed", "withheld", None)
    event = pub.events.get(action="approve")
    assert event.data["changed"]["attribute"] == ["proactive", "withheld"]
