"""Demo applications at 洛浦街道, in every state of the workflow; one of them handed in
at 洛浦社区 and registered by its 联络员 (the 居委会 is not a disclosure body: the case
is the 街道's, 条例第二十七条).

Made through the same layer as the screens (``letters.register`` / ``steps.perform``),
so each case has its events, due date, letters with 文号 and audit rows. There is no
clock travel at runtime: every date is counted back from today in working days,
so "due soon" and "overdue" stay true whenever the demo is loaded.

Two cases tell a longer story:

- 赵丽娟's application was answered in September 2025 (fixed dates: the 复议后起诉 about
  that reply in ``appeals/demo.py`` was filed in November 2025); the court's 2026
  judgment orders a new reply (责令重新答复), so the appeals demo reopens it;
- 何志远's application is transferred (转办) by the 街道 to 老城区住建局, which accepts
  it: a new case there, the 街道's case decided 不属于本机关负责公开.

Idempotent: if the 街道 already has the first demo applicant's case, nothing is added.
The seeded 2021 report has no applications, so no 2021 cases are made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.calendars.selectors import work_calendar
from gongkai.core.identifiers import resident_id_check_character
from gongkai.inforequests import letters, steps
from gongkai.inforequests.intake import Registration
from gongkai.inforequests.models import InfoRequest, LetterSettings
from gongkai.inforequests.services.transfers import transfer_propose
from gongkai.orgs.models import Organisation
from gongkai.security.fields import digest_of


def _resident_id(first17: str) -> str:
    return first17 + resident_id_check_character(first17)


@dataclass(frozen=True)
class DemoCase:
    """One case: who asks what, received ``age`` working days ago, then ``steps``.

    Each step is (working days ago, action, data, actor key) — actor "head" or
    "officer". ``org`` is where it was handed in, ``registered_by`` who registered it.
    A ``date`` instead of a number of working days is a fixed day (a case of a past
    year that an appeal refers to).
    """

    name: str
    id17: str
    phone: str
    description: str
    age: int | date
    steps: tuple[tuple[int | date, str, dict[str, Any], str], ...] = ()
    org: str = "luopu"
    registered_by: str = "officer"
    extra: dict[str, str] = field(default_factory=dict)


_ADDRESS = "河南省洛阳市老城区洛浦街道"

CASES: tuple[DemoCase, ...] = (
    # 已登记待审核 (new)
    DemoCase(
        "刘晓燕",
        "41030219850312002",
        "13903790001",
        "洛浦街道2026年度城市低保户审核确定名单（不含身份证号）",
        1,
    ),
    # 待申请人补正
    DemoCase(
        "陈国庆",
        "41030219700101003",
        "13903790002",
        "关于我家门口那条路的文件",
        4,
        (
            (
                3,
                "request_clarification",
                {"what": "请说明道路名称、所需文件的名称或大致年份", "due_days": 10},
                "officer",
            ),
        ),
    ),
    # 征求意见中（第三方）
    DemoCase(
        "赵文博",
        "41030219900505004",
        "13903790003",
        "洛浦街道2026年老旧小区改造工程施工合同",
        9,
        (
            (8, "accept", {}, "officer"),
            (
                2,
                "start_consultation",
                {
                    "party": "third_party",
                    "name": "洛阳某建设工程有限公司",
                    "reason": "合同含该公司报价等经营信息",
                },
                "officer",
            ),
        ),
    ),
    # 已延期办理
    DemoCase(
        "孙丽",
        "41030219881111005",
        "13903790004",
        "2021年至2025年洛浦街道历年防汛物资采购明细",
        18,
        (
            (17, "accept", {}, "officer"),
            (
                1,
                "extend",
                {
                    "working_days": 20,
                    "reason": "所需信息跨越五个年度，需调阅档案室纸质档案",
                },
                "head",
            ),
        ),
    ),
    # 待申请人缴费
    DemoCase(
        "周建华",
        "41030219760606006",
        "13903790005",
        "洛浦街道2026年1月至10月全部会议纪要（约150页）",
        10,
        (
            (9, "accept", {}, "officer"),
            (
                3,
                "issue_fee_notice",
                {
                    "method": "per_volume",
                    "pages": 150,
                    "payment_method": "到街道党政综合办公室现场缴纳",
                },
                "officer",
            ),
        ),
    ),
    # 即将到期（剩余2个工作日）
    DemoCase(
        "吴海涛",
        "41030219820202007",
        "13903790006",
        "洛浦街道2026年城市管理执法车辆使用管理规定",
        18,
        ((16, "accept", {}, "officer"),),
    ),
    # 已超期（超期3个工作日）
    DemoCase(
        "郑美玲",
        "41030219930909008",
        "13903790007",
        "洛浦街道辖区2026年新增公共停车位规划图",
        23,
        ((22, "accept", {}, "officer"),),
    ),
    # 已答复
    DemoCase(
        "王志刚",
        "41030219680808009",
        "13903790008",
        "洛浦街道2026年第一季度财政预算执行情况",
        15,
        (
            (14, "accept", {}, "officer"),
            (
                3,
                "decide",
                {
                    "outcome": "granted",
                    "details": {
                        "provision": "随本告知书提供电子文件1份，通过电子邮件发送"
                    },
                },
                "officer",
            ),
            (2, "send_reply", {}, "head"),
        ),
    ),
    # 已办结（归档）
    DemoCase(
        "黄丽娟",
        "41030219791010010",
        "13903790009",
        "某小区2019年的物业选聘会议记录",
        30,
        (
            (29, "accept", {}, "officer"),
            (
                12,
                "decide",
                {
                    "outcome": "unable.not_held",
                    "details": {
                        "search_scope": "检索了本机关2019年以来的收发文登记簿和档案室全部案卷"
                    },
                },
                "officer",
            ),
            (11, "send_reply", {}, "head"),
            (5, "archive", {}, "officer"),
        ),
    ),
    # 交到洛浦社区居委会、由社区联络员登记的申请：街道的案件（经由社区转交）
    DemoCase(
        "钱明",
        "41030219950101011",
        "13903790010",
        "洛浦社区2026年公益岗位招聘公告及录用名单",
        2,
        org="community1",
        registered_by="liaison1",
    ),
    # 2025年已答复；复议后起诉，2026年判决责令重新答复（appeals/demo.py 重新办理）
    DemoCase(
        "赵丽娟",
        "41030219720315012",
        "13903790011",
        "洛浦路沿线房屋征收拆迁补偿方案",
        date(2025, 9, 1),
        (
            (date(2025, 9, 2), "accept", {}, "officer"),
            (
                date(2025, 9, 22),
                "decide",
                {
                    "outcome": "unable.not_held",
                    "details": {
                        "search_scope": "检索了本机关2020年以来的收发文登记簿和档案室全部案卷"
                    },
                },
                "officer",
            ),
            (date(2025, 9, 23), "send_reply", {}, "head"),
        ),
    ),
    # 转办至老城区住建局（见 TRANSFER）
    DemoCase(
        "何志远",
        "41030219870720013",
        "13903790012",
        "洛浦街道辖区2026年既有住宅加装电梯补贴的审批文件",
        7,
        ((6, "accept", {}, "officer"),),
    ),
)

SUIT_APPLICANT = CASES[-2]
"""The application the demo's 复议后起诉 is about (reopened by ``appeals/demo.py``)."""

TRANSFER = (
    CASES[-1],
    "housing",
    "既有住宅加装电梯补贴由区住房和城乡建设局审批，相关文件由该局制作并保存",
    4,  # proposed 4 working days ago
    3,  # accepted 3 working days ago by the 住建局's officer
)
"""The 转办: case, receiving body, reason, working days ago proposed and accepted."""


def _actors() -> dict[str, User] | None:
    found = {
        u.username: u
        for u in User.objects.filter(
            username__in=["officer", "head", "liaison1", "zjofficer"]
        )
    }
    if not {"officer", "head"} <= set(found):
        return None
    return found


def _back(today: date, working_days: int | date) -> date:
    if isinstance(working_days, date):
        return working_days
    return (
        work_calendar().add_working_days(today, -working_days)
        if working_days
        else today
    )


def load(orgs: dict[str, Organisation]) -> None:
    """Create the demo applications once (see module docstring)."""
    _configure_review_body(orgs)
    street = orgs.get("luopu")
    actors = _actors()
    if street is None or actors is None:
        return
    first_id = _resident_id(CASES[0].id17)
    if InfoRequest.objects.filter(
        organisation=street, id_digest=digest_of(first_id)
    ).exists():
        return
    today = timezone.localdate()
    made = {case.name: _make(case, orgs, actors, today) for case in CASES}
    _transfer(made, orgs, actors, today)


def find(case: DemoCase, organisation: Organisation) -> InfoRequest | None:
    """The demo application of ``case`` at ``organisation`` (None if not loaded)."""
    return InfoRequest.objects.filter(
        organisation=organisation, id_digest=digest_of(_resident_id(case.id17))
    ).first()


def _transfer(
    made: dict[str, InfoRequest],
    orgs: dict[str, Organisation],
    actors: dict[str, User],
    today: date,
) -> None:
    case, body_key, reason, proposed_ago, accepted_ago = TRANSFER
    body, receiver = orgs.get(body_key), actors.get("zjofficer")
    if body is None or receiver is None:
        return
    transfer = transfer_propose(
        actor=actors["officer"],
        request=made[case.name],
        to_organisation=body,
        reason=reason,
        on=_back(today, proposed_ago),
    )
    steps.accept_transfer(
        actor=receiver, transfer=transfer, on=_back(today, accepted_ago)
    )


def _configure_review_body(orgs: dict[str, Organisation]) -> None:
    """The district is the top of the demo tree: its 行政复议机关 (the 市人民政府,
    行政复议法第二十四条) cannot be read from the tree, so it is configured."""
    district = orgs.get("district")
    if district is not None:
        LetterSettings.objects.get_or_create(
            organisation=district, defaults={"review_body": "洛阳市人民政府"}
        )


def _make(
    case: DemoCase, orgs: dict[str, Organisation], actors: dict[str, User], today: date
) -> InfoRequest:
    received = _back(today, case.age)
    request, _code, _receipt = letters.register(
        actor=actors.get(case.registered_by, actors["officer"]),
        organisation=orgs[case.org],
        registration=Registration(
            channel="in_person",
            submitted_on=received,
            applicant_type="natural",
            applicant_name=case.name,
            id_type="resident_id",
            id_number=_resident_id(case.id17),
            phone=case.phone,
            address=f"{_ADDRESS}某小区{case.phone[-2:]}号楼",
            description=case.description,
        ),
        on=received,
    )
    for ago, action, data, who in case.steps:
        on = _back(today, ago)
        values: dict[str, Any] = {**data, "on": on}
        if "due_days" in values:
            values["deadline"] = on + timedelta(days=values.pop("due_days"))
        request = steps.perform(action, actor=actors[who], request=request, data=values)
    return request
