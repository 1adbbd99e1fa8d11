"""The personal-information check in the publishing workflow (issue 25): refused while
unmasked findings remain, one-click masking, a legal basis per finding, attachments."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.privacy import services as privacy
from gongkai.privacy.models import PiiDisclosure, PrivacyRules
from gongkai.privacy.selectors import publication_pii_report
from gongkai.publishing import services
from gongkai.publishing.models import Attachment, Publication
from gongkai.publishing.tests.factories import make_live, make_publication
from gongkai.search.models import SearchDocument


def resident_id(first17: str) -> str:
    """GB 11643 check character, computed here independently of gongkai.core."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


ID_A = resident_id("41030419800101234")
ID_B = resident_id("41030219751231001")
MOBILE = "13903791234"
BODY = (
    "<p>经审核，以下家庭符合最低生活保障条件，现予公示。</p>"
    "<table><tr><th>序号</th><th>户主姓名</th><th>身份证号码</th><th>联系电话</th></tr>"
    f"<tr><td>1</td><td>王建国</td><td>{ID_A}</td><td>{MOBILE}</td></tr>"
    f"<tr><td>2</td><td>李秀英</td><td>{ID_B}</td><td></td></tr></table>"
    "<p>咨询电话：0379-60000002。</p>"
)
TITLE = "洛浦街道2026年12月最低生活保障审核确认名单公示"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def approved(tree, **fields) -> Publication:
    fields.setdefault("body", BODY)
    pub = make_publication(tree.street, tree.officer, TITLE, **fields)
    pub = services.publication_submit(actor=tree.officer, publication=pub)
    return services.publication_approve(
        actor=tree.head, publication=pub, secrecy_checked=True
    )


def test_publishing_a_list_with_id_numbers_is_refused_naming_what_and_where(tree):
    pub = approved(tree)
    with pytest.raises(ValidationError) as info:
        services.publication_publish(actor=tree.officer, publication=pub)
    message = info.value.messages[0]
    assert "正文" in message
    assert "身份证号码 2 处" in message
    assert "手机号码 1 处" in message
    assert "第十五条" in message
    assert ID_A not in message  # the refusal shows masks only
    pub.refresh_from_db()
    assert pub.status == "approved" and pub.published_at is None
    assert not SearchDocument.objects.filter(object_id=str(pub.pk)).exists()


def test_scheduling_is_refused_too(tree):
    pub = approved(tree)
    with pytest.raises(ValidationError):
        services.publication_schedule(
            actor=tree.officer,
            publication=pub,
            go_live_at=timezone.now() + timedelta(days=1),
        )
    assert Publication.objects.get(pk=pub.pk).status == "approved"


def test_the_offices_hotline_alone_does_not_hold_publication(tree):
    pub = approved(tree, body="<p>请于12月10日前报名。咨询电话：0379-60000002。</p>")
    pub = services.publication_publish(actor=tree.officer, publication=pub)
    assert pub.status == "published"


def test_one_click_masking_then_publishing_leaves_only_masks_online(tree):
    pub = approved(tree)
    result = privacy.publication_mask(actor=tree.officer, publication=pub)
    assert result.remaining == 0
    pub.refresh_from_db()
    for value in (ID_A, ID_B, MOBILE, "王建国", "李秀英"):
        assert value not in pub.body
    assert f"{ID_A[:4]}**********{ID_A[-4:]}" in pub.body
    assert "139****1234" in pub.body and "王*某" in pub.body
    assert "0379-60000002" in pub.body  # the hotline stays
    assert pub.status == "approved"  # masking during 保密审查 keeps the step
    # The text before masking is kept in the revisions (staff only).
    assert ID_A in pub.revisions.order_by("number").first().body
    pub = services.publication_publish(actor=tree.officer, publication=pub)
    doc = SearchDocument.objects.get(kind="publication", object_id=str(pub.pk))
    assert ID_A not in doc.body and MOBILE not in doc.body and "王建国" not in doc.body
    assert AuditEvent.objects.filter(action="privacy.publication.mask").exists()


def test_a_legal_basis_per_finding_lets_it_be_published_and_is_audited(tree):
    body = "<p>拟推荐表彰对象：王建国，联系电话13903791234。</p>"
    pub = approved(tree, body=body)
    report = publication_pii_report(pub)
    keys = [f.key for f in report.open_findings]
    assert {f.finding.kind for f in report.open_findings} == {"name", "mobile"}
    name_key = next(f.key for f in report.open_findings if f.finding.kind == "name")
    privacy.pii_disclosure_record(
        actor=tree.head,
        publication=pub,
        keys=[name_key],
        basis="表彰对象姓名依《评比达标表彰活动管理办法》须公示",
    )
    with pytest.raises(ValidationError) as info:  # the phone is still open
        services.publication_publish(actor=tree.officer, publication=pub)
    assert "手机号码 1 处" in info.value.messages[0]
    assert "姓名" not in info.value.messages[0]
    privacy.pii_disclosure_record(
        actor=tree.head,
        publication=pub,
        keys=keys,
        basis="本人书面同意公开联系电话（同意书存档）",
    )
    services.publication_publish(actor=tree.officer, publication=pub)
    rows = PiiDisclosure.objects.filter(publication=pub)
    assert rows.count() == 2
    assert all(MOBILE not in r.masked and "王建国" not in r.masked for r in rows)
    audits = AuditEvent.objects.filter(action="privacy.disclosure.record")
    assert audits.count() == 2
    assert {a.details["kind"] for a in audits} == {"name", "mobile"}


def test_a_basis_needs_the_reviewers_power_and_real_words(tree):
    pub = approved(tree)
    key = publication_pii_report(pub).open_findings[0].key
    with pytest.raises(PermissionDenied):
        privacy.pii_disclosure_record(
            actor=tree.officer, publication=pub, keys=[key], basis="依法需要公示姓名"
        )
    with pytest.raises(ValidationError):
        privacy.pii_disclosure_record(
            actor=tree.head, publication=pub, keys=[key], basis="同意"
        )
    with pytest.raises(ValidationError):
        privacy.pii_disclosure_record(
            actor=tree.head, publication=pub, keys=["body|forged"], basis="依法需要公示"
        )
    assert not PiiDisclosure.objects.exists()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "姓名", "身份证号码", "联系电话"])
    sheet.append([1, "王建国", ID_A, MOBILE])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_spreadsheet_is_masked_into_a_copy_and_the_original_never_goes_public(
    tree, client
):
    pub = approved(tree, body="<p>名单见附件。</p>")
    original = services.attachment_add(
        actor=tree.officer,
        publication=pub,
        upload=SimpleUploadedFile("名单.xlsx", _xlsx()),
    )
    with pytest.raises(ValidationError) as info:
        services.publication_publish(actor=tree.officer, publication=pub)
    assert "附件“名单.xlsx”" in info.value.messages[0]
    result = privacy.publication_mask(actor=tree.officer, publication=pub)
    assert result.files_masked == ["名单.xlsx"] and result.remaining == 0
    original.refresh_from_db()
    copy = Attachment.objects.get(masked_from=original)
    assert original.withheld and not copy.withheld
    book = openpyxl.load_workbook(copy.file.open("rb"))
    values = {str(c) for row in book.active.values for c in row}
    assert ID_A not in values and "王*某" in values
    services.publication_publish(actor=tree.officer, publication=pub)
    # The public may download the masked copy, never the original.
    assert client.get(f"/office/publishing/attachments/{copy.pk}/").status_code == 200
    assert (
        client.get(f"/office/publishing/attachments/{original.pk}/").status_code == 404
    )
    client.force_login(tree.officer)
    assert (
        client.get(f"/office/publishing/attachments/{original.pk}/").status_code == 200
    )


def test_an_image_without_text_holds_publication_until_a_person_decides(tree):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
        b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
        b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    pub = approved(tree, body="<p>现场照片见附件。</p>")
    services.attachment_add(
        actor=tree.officer, publication=pub, upload=SimpleUploadedFile("现场.png", png)
    )
    with pytest.raises(ValidationError) as info:
        services.publication_publish(actor=tree.officer, publication=pub)
    assert "无法读取" in info.value.messages[0] and "图片" in info.value.messages[0]
    result = privacy.publication_mask(actor=tree.officer, publication=pub)
    assert result.needs_hand and result.remaining == 1
    key = publication_pii_report(pub).open_findings[0].key
    privacy.pii_disclosure_record(
        actor=tree.head,
        publication=pub,
        keys=[key],
        basis="已人工查看照片，不含个人信息，可以公开",
    )
    services.publication_publish(actor=tree.officer, publication=pub)


def test_a_phone_number_in_an_image_attachment_holds_publication(tree):
    """The image is read by OCR (the annual-report parser's engine)."""
    from gongkai.core.tests.test_pii_images import _png

    pub = approved(tree, body="<p>名单见附件。</p>")
    services.attachment_add(
        actor=tree.officer,
        publication=pub,
        upload=SimpleUploadedFile("名单.png", _png([f"联系电话：{MOBILE}"])),
    )
    with pytest.raises(ValidationError) as info:
        services.publication_publish(actor=tree.officer, publication=pub)
    assert "手机号码" in info.value.messages[0]


def test_a_live_item_cannot_be_updated_with_new_personal_information(tree):
    pub = make_live(tree.street, tree.officer, tree.head, body="<p>通知。</p>")
    with pytest.raises(ValidationError) as info:
        services.publication_update(
            actor=tree.officer,
            publication=pub,
            body=f"<p>通知。联系人手机{MOBILE}。</p>",
        )
    assert "手机号码" in info.value.messages[0]
    assert MOBILE not in Publication.objects.get(pk=pub.pk).body


def test_a_file_with_personal_information_cannot_be_added_to_a_live_item(tree):
    pub = make_live(tree.street, tree.officer, tree.head, body="<p>通知。</p>")
    with pytest.raises(ValidationError) as info:
        services.attachment_add(
            actor=tree.officer,
            publication=pub,
            upload=SimpleUploadedFile("名单.xlsx", _xlsx()),
        )
    assert "身份证号码" in info.value.messages[0]
    assert not Attachment.objects.filter(publication=pub).exists()


def test_an_organisations_rules_decide_what_is_checked_and_children_inherit(tree):
    privacy.privacy_rules_save(
        actor=tree.head,
        organisation=tree.street,
        kinds=["resident_id"],
        name_mask="keep_first_last",
        id_keep=3,
    )
    pub = make_publication(
        tree.community_a,
        tree.liaison_a,
        body=f"<p>王建国\t{ID_A}\t手机{MOBILE}</p>",
    )
    found = publication_pii_report(pub).open_findings
    assert [(f.finding.kind, f.finding.masked) for f in found] == [
        ("resident_id", f"{ID_A[:3]}{'*' * 12}{ID_A[-3:]}")
    ]
    with pytest.raises(PermissionDenied):
        privacy.privacy_rules_save(
            actor=tree.officer,
            organisation=tree.street,
            kinds=["mobile"],
            name_mask="surname_mou",
            id_keep=4,
        )
    assert PrivacyRules.objects.get(organisation=tree.street).kinds == ["resident_id"]


def test_a_scheduled_item_that_gained_personal_information_does_not_go_live(tree):
    pub = approved(tree, body="<p>工作动态。</p>")
    go_live = timezone.now() + timedelta(hours=1)
    pub = services.publication_schedule(
        actor=tree.officer, publication=pub, go_live_at=go_live
    )
    # Rules tightened, or data written past the services, after scheduling.
    Publication.objects.filter(pk=pub.pk).update(body=f"<p>王建国 {ID_A}</p>")
    assert services.publication_publish_due(now=go_live + timedelta(minutes=1)) == 0
    pub.refresh_from_db()
    assert pub.status == "approved" and pub.published_at is None
    event = pub.events.filter(action="unschedule").get()
    assert "身份证号码" in event.data["reason"]
