"""Issue 21, requirement 4: the supervisor's scores come from a declarative indicator
set; a bad file loads nothing; a second set changes the scores; every score links to
its evidence."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.core.assessment import DATA_DIR
from gongkai.supervision import services as s
from gongkai.supervision.models import AssessmentRulepack

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)  # the 2025 reports were due by 2026-03-31; none was published


def _text(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


def test_loading_a_second_set_changes_the_scores(tree) -> None:
    # No unit has published its 2025 report (0 points) and nothing else is late (100
    # each), so a unit's total is 100 minus the weight of the report indicator.
    before = {x.unit.pk: x.total for x in s.scores_for(tree.district, 2026, TODAY)}
    assert before[tree.street.pk] == 75.0  # default: report weighs 25

    pack = s.rulepack_load(
        actor=tree.supervisor,
        organisation=tree.district,
        text=_text("transparency_index.toml"),
    )
    s.rulepack_use(
        actor=tree.supervisor, organisation=tree.district, year=2026, rulepack=pack
    )
    after = s.scores_for(tree.district, 2026, TODAY)
    assert {x.unit.pk: x.total for x in after}[tree.street.pk] == 90.0  # weighs 10
    assert set(after[0].indicators) == {
        "decision",
        "service",
        "result",
        "platform",
        "report",
        "on_request",
        "remedy",
        "interaction",
    }
    assert AuditEvent.objects.filter(action="supervision.rulepack_load").exists()
    assert AuditEvent.objects.filter(action="supervision.rulepack_use").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("request_on_time", "good_looks"), "未知"),
        (("weight = 20\n", "weight = 25\n"), "之和应为 100"),
    ],
)
def test_a_bad_file_loads_nothing(tree, change, message) -> None:
    text = _text("transparency_index.toml").replace(*change, 1)
    with pytest.raises(ValidationError) as caught:
        s.rulepack_load(actor=tree.supervisor, organisation=tree.district, text=text)
    assert any(message in m for m in caught.value.messages)
    assert not AssessmentRulepack.objects.exists()


def test_an_officer_cannot_load_a_set(tree) -> None:
    with pytest.raises(PermissionDenied):
        s.rulepack_load(
            actor=tree.officer, organisation=tree.district, text=_text("default.toml")
        )


def test_the_command_loads_the_shipped_sets_and_refuses_a_bad_file(
    tree, tmp_path
) -> None:
    out = StringIO()
    call_command("load_indicators", stdout=out)
    assert set(AssessmentRulepack.objects.values_list("code", flat=True)) == {
        "default",
        "transparency_index",
    }
    bad = tmp_path / "bad.toml"
    bad.write_text(
        _text("default.toml")
        .replace('code = "default"', 'code = "bad"')
        .replace("weight = 15", "weight = 5"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="之和应为 100"):
        call_command("load_indicators", str(bad), stdout=out)
    assert not AssessmentRulepack.objects.filter(code="bad").exists()


def test_the_screen_uploads_a_set_and_every_score_links_to_its_evidence(
    tree, client
) -> None:
    client.force_login(tree.supervisor)
    url = reverse("supervision:scores")
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        bad = SimpleUploadedFile(
            "x.toml",
            _text("default.toml").replace("weight = 15", "weight = 16").encode(),
        )
        page = client.post(
            f"{url}?year=2026", {"action": "upload", "file": bad}, follow=True
        ).content.decode()
        assert "之和应为 100，现在是 101" in page
        good = SimpleUploadedFile("t.toml", _text("transparency_index.toml").encode())
        page = client.post(
            f"{url}?year=2026", {"action": "upload", "file": good}, follow=True
        ).content.decode()
        assert "透明度指数式方案" in page
        assert "90.0" in page
        evidence = reverse("supervision:score_evidence")
        link = f"{evidence}?year=2026&amp;unit={tree.street.pk}&amp;indicator=report"
        assert link in page
        shown = client.get(
            evidence, {"year": 2026, "unit": tree.street.pk, "indicator": "report"}
        ).content.decode()
        assert "2025年度报告" in shown and "0.0" in shown
        # A unit outside the supervisor's reach, or nonsense, is a 404 (not a 500).
        assert (
            client.get(evidence, {"unit": "abc", "indicator": "report"}).status_code
            == 404
        )
        assert (
            client.get(
                evidence, {"unit": tree.street.pk, "indicator": "zzz"}
            ).status_code
            == 404
        )


def test_a_lower_body_cannot_replace_a_higher_bodys_set(tree, client) -> None:
    """A street 负责人 who uploads a file with the district's code gets a set of the
    street's own; the district's set and scores stay as they were."""
    district_pack = s.rulepack_load(
        actor=tree.supervisor,
        organisation=tree.district,
        text=_text("transparency_index.toml"),
    )
    s.rulepack_use(
        actor=tree.supervisor,
        organisation=tree.district,
        year=2026,
        rulepack=district_pack,
    )
    original_text = district_pack.text
    # The street's head may not load a set as the district's.
    with pytest.raises(PermissionDenied):
        s.rulepack_load(
            actor=tree.head, organisation=tree.district, text=_text("default.toml")
        )
    # Through the screen (the street is the head's organisation), same code, other
    # weights: a new set owned by the street.
    hostile = _text("transparency_index.toml").replace("weight = 10", "weight = 0", 1)
    hostile = hostile.replace("weight = 20\n", "weight = 30\n", 1)
    client.force_login(tree.head)
    upload = SimpleUploadedFile("t.toml", hostile.encode())
    client.post(
        f"{reverse('supervision:scores')}?year=2026",
        {"action": "upload", "file": upload},
    )
    district_pack.refresh_from_db()
    assert district_pack.text == original_text
    assert district_pack.organisation == tree.district
    street_pack = AssessmentRulepack.objects.get(organisation=tree.street)
    assert street_pack.code == district_pack.code and street_pack.text == hostile
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        totals = {x.unit.pk: x.total for x in s.scores_for(tree.district, 2026)}
    assert totals[tree.street.pk] == 90.0
    # The street's list does not offer the district's set, nor may it pick it.
    page = client.get(reverse("supervision:scores"), {"year": 2026}).content.decode()
    assert f'value="{street_pack.pk}"' in page
    assert f'value="{district_pack.pk}"' not in page
    page = client.post(
        f"{reverse('supervision:scores')}?year=2026",
        {"action": "use", "rulepack": district_pack.pk},
        follow=True,
    ).content.decode()
    assert "所选考评指标体系不存在" in page
    with pytest.raises(PermissionDenied):
        s.rulepack_use(
            actor=tree.head,
            organisation=tree.street,
            year=2026,
            rulepack=district_pack,
        )
    # The district's supervisor (an ancestor's staff) may replace the street's set.
    s.rulepack_load(
        actor=tree.supervisor,
        organisation=tree.street,
        text=_text("transparency_index.toml"),
    )
    street_pack.refresh_from_db()
    assert street_pack.text == original_text


def test_shipped_sets_have_no_owner_and_are_offered_to_everyone(tree, client) -> None:
    call_command("load_indicators", stdout=StringIO())
    assert not AssessmentRulepack.objects.filter(organisation__isnull=False).exists()
    client.force_login(tree.head)
    page = client.get(reverse("supervision:scores"), {"year": 2026}).content.decode()
    for pack in AssessmentRulepack.objects.all():
        assert f'value="{pack.pk}"' in page
    assert "平台自带" in page


def test_evidence_never_links_to_the_viewers_own_screens(tree, client) -> None:
    """A stale catalogue item of the street is listed on the district supervisor's
    evidence page without a link to the 目录 screens (those show the viewer's own
    organisation, not the unit's)."""
    from gongkai.publishing.models import CatalogueArea, CatalogueItem

    with time_machine.travel("2026-01-05 10:00 +0800", tick=False):
        area = CatalogueArea.objects.create(
            organisation=tree.street, code="09", name="社会救助"
        )
        CatalogueItem.objects.create(
            organisation=tree.street,
            area=area,
            item_l1="社会救助",
            item_l2="低保名单",
            content="名单",
            basis="《社会救助暂行办法》",
            time_limit_text="20个工作日",
            subjects="街道办事处",
            update_period_days=30,
        )
    client.force_login(tree.supervisor)
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        page = client.get(
            reverse("supervision:score_evidence"),
            {"year": 2026, "unit": tree.street.pk, "indicator": "catalogue"},
        ).content.decode()
    records = page[page.index("扣分的记录") :]
    records = records[: records.index("</section>")]
    assert "低保名单" in records
    assert "<a " not in records


def test_the_file_format_is_explained_on_the_page_and_by_an_example_file(
    tree, client
) -> None:
    from gongkai.core.assessment import METRICS

    client.force_login(tree.supervisor)
    page = client.get(reverse("supervision:scores"), {"year": 2026}).content.decode()
    assert "docs/assessment.md" not in page  # a repository path means nothing here
    assert "指标文件格式" in page
    for key, metric in METRICS.items():
        assert metric.name in page and key not in page  # codes live in the file
    example = client.get(reverse("supervision:rulepack_example"))
    assert example.status_code == 200
    assert "attachment" in example["Content-Disposition"]
    text = example.content.decode("utf-8")
    for key in METRICS:
        assert f"#   {key}：" in text
    # The example loads as it is, and a body may load it as its own set.
    loaded = s.rulepack_load(actor=tree.supervisor, organisation=tree.street, text=text)
    assert loaded.code == "prov2026" and loaded.organisation == tree.street
