"""Demo applications of past years (2022–2025) at 洛浦街道, each taken to its reply
and archived, so that each year's annual report (``reports/demo_history.py``) is
computed from cases: table 三 counts them by applicant and outcome.

Fixed dates (a past year does not move with today); each step is a number of
working days after the day the application was received, counted on the
platform's calendar. Made through the same layer as the screens
(``letters.register`` / ``steps.perform``): events, letters with 文号, audit rows.
2021 keeps no applications (the seeded 2021 report has none).

Idempotent: if the first historical applicant's case exists, nothing is added.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.accounts.models import User
from gongkai.calendars.selectors import work_calendar
from gongkai.core.identifiers import resident_id_check_character
from gongkai.inforequests import letters, steps
from gongkai.inforequests.intake import Registration
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organisation
from gongkai.security.fields import digest_of

# The decisions the history uses: outcome → details the reply letter needs.
DECISIONS: dict[str, dict[str, Any]] = {
    "granted": {"provision": "随本告知书提供复印件，通过邮寄送达"},
    "partial": {
        "provided_part": "项目资金安排总表",
        "provision": "随本告知书提供复印件",
        "withheld_part": "住户姓名和身份证号码",
        "withheld_reason": "属于个人隐私，公开会对第三方合法权益造成损害",
        "withheld_ground": "withheld.third_party",
    },
    "unable.not_held": {
        "search_scope": "检索了本机关收发文登记簿和档案室全部案卷，未找到所申请的信息"
    },
    "rejected.petition": {"proper_channel": "向老城区信访局提出"},
}

# (received, name, birth date yyyymmdd, what is asked, outcome). The names and
# numbers are made up; the resident ID numbers carry a valid check character.
HISTORY: tuple[tuple[date, str, str, str, str], ...] = (
    (
        date(2022, 3, 14),
        "李建国",
        "19620415",
        "洛浦街道2021年度城市低保资金发放情况",
        "granted",
    ),
    (
        date(2022, 5, 9),
        "张秀英",
        "19580723",
        "东关社区老旧小区改造项目的立项批复",
        "granted",
    ),
    (date(2022, 7, 18), "王磊", "19850102", "洛浦街道2022年防汛应急预案", "granted"),
    (
        date(2022, 9, 5),
        "刘芳",
        "19900611",
        "某小区2015年的物业服务合同",
        "unable.not_held",
    ),
    (date(2022, 11, 21), "陈伟", "19771130", "洛浦街道拆迁安置房分配名单", "partial"),
    (
        date(2023, 2, 20),
        "杨静",
        "19880308",
        "洛浦街道2022年度财政预算执行情况",
        "granted",
    ),
    (
        date(2023, 4, 17),
        "赵强",
        "19700925",
        "南关社区公共停车位收费标准的依据",
        "granted",
    ),
    (
        date(2023, 6, 12),
        "黄敏",
        "19930517",
        "洛浦街道2023年高龄津贴发放名单",
        "partial",
    ),
    (
        date(2023, 8, 28),
        "周涛",
        "19650212",
        "要求街道解决邻里噪声纠纷",
        "rejected.petition",
    ),
    (
        date(2023, 10, 16),
        "吴娟",
        "19820801",
        "洛浦街道2023年城市管理执法检查计划",
        "granted",
    ),
    (
        date(2023, 12, 4),
        "徐军",
        "19750418",
        "青年宫社区2010年以前的土地征收档案",
        "unable.not_held",
    ),
    (
        date(2024, 3, 11),
        "孙丽华",
        "19600909",
        "洛浦街道2023年度政府信息公开工作年度报告的统计口径",
        "granted",
    ),
    (
        date(2024, 5, 20),
        "马超",
        "19910714",
        "洛浦街道2024年就业创业补贴发放情况",
        "granted",
    ),
    (date(2024, 7, 8), "朱红梅", "19781223", "春都社区加装电梯补贴申请名单", "partial"),
    (
        date(2024, 9, 23),
        "胡斌",
        "19870330",
        "洛浦街道2024年安全生产检查通报",
        "granted",
    ),
    (
        date(2024, 11, 11),
        "郭玉兰",
        "19550506",
        "滨河社区2005年的房屋登记资料",
        "unable.not_held",
    ),
    (date(2025, 2, 24), "林志强", "19800219", "洛浦街道2024年度财政决算", "granted"),
    (
        date(2025, 4, 14),
        "何丽",
        "19940830",
        "洛浦街道2025年临时救助审批结果",
        "partial",
    ),
    (date(2025, 6, 9), "高峰", "19720611", "民主街社区公益岗位招聘公告", "granted"),
    (
        date(2025, 8, 18),
        "罗静",
        "19891105",
        "要求撤销社区对其家庭的评议结果",
        "rejected.petition",
    ),
    (
        date(2025, 10, 20),
        "梁国栋",
        "19670327",
        "洛浦街道2025年老旧小区改造施工合同",
        "granted",
    ),
)


def _resident_id(birth: str, serial: int) -> str:
    first17 = f"410302{birth}{serial:03d}"
    return first17 + resident_id_check_character(first17)


def _id_of(index: int) -> str:
    return _resident_id(HISTORY[index][2], 101 + index)


def load(orgs: dict[str, Organisation]) -> None:
    street = orgs.get("luopu")
    officer = User.objects.filter(username="officer").first()
    head = User.objects.filter(username="head").first()
    if street is None or officer is None or head is None:
        return
    if InfoRequest.objects.filter(
        organisation=street, id_digest=digest_of(_id_of(0))
    ).exists():
        return
    calendar = work_calendar()
    for i, (received, name, _birth, description, outcome) in enumerate(HISTORY):

        def day(n: int, received: date = received) -> date:
            return calendar.add_working_days(received, n)

        request, _code, _receipt = letters.register(
            actor=officer,
            organisation=street,
            registration=Registration(
                channel=("in_person", "email")[i % 2],
                submitted_on=received,
                confirmed_on=received if i % 2 else None,
                applicant_type="natural",
                applicant_name=name,
                id_type="resident_id",
                id_number=_id_of(i),
                phone=f"1390379{2100 + i:04d}",
                address=f"河南省洛阳市老城区洛浦街道某小区{i + 1}号楼",
                description=description,
            ),
            on=received,
        )
        plan: tuple[tuple[int, str, dict[str, Any], User], ...] = (
            (1, "accept", {}, officer),
            (
                8 + i % 9,
                "decide",
                {
                    "outcome": outcome,
                    "details": DECISIONS[outcome],
                    "note": "住户姓名和身份证号码属于个人隐私，不予公开"
                    if outcome == "partial"
                    else "",
                },
                officer,
            ),
            (9 + i % 9, "send_reply", {}, head),
            (15 + i % 9, "archive", {}, officer),
        )
        for after, action, data, actor in plan:
            request = steps.perform(
                action, actor=actor, request=request, data={**data, "on": day(after)}
            )
