"""The demo body: 老城区 → 洛浦街道办事处 (the seed report's 街道) → 8 communities,
a second disclosure body under the district, 老城区住房和城乡建设局 (a 转办 goes
from the 街道 to it), and a 乡镇, 邙山镇 (each with its own catalogue template).

Names of the communities, addresses and codes are fictional demo values; every
统一社会信用代码 is built with a valid check character so validation is exercised.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.core.identifiers import credit_code_check_character

DEMO_PASSWORD = "Luopu-demo-2026"


def _credit_code(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    credit_code: str
    division_code: str
    office_name: str = ""
    office_address: str = ""
    office_hours: str = ""
    office_phone: str = ""
    office_email: str = ""
    office_postcode: str = ""


_HOURS = "周一至周五 上午8:30—12:00，下午14:30—17:30（法定节假日除外）"

DISTRICT = DemoOrg(
    key="district",
    name="洛阳市老城区人民政府",
    short_name="老城区",
    kind="district",
    parent=None,
    credit_code=_credit_code("11410302MB0000001"),
    division_code="410302",
    office_name="老城区人民政府办公室（政务公开办）",
    office_address="河南省洛阳市老城区中州东路1号",
    office_hours=_HOURS,
    office_phone="0379-60000001",
    office_email="zwgk@lcq.example.gov.cn",
    office_postcode="471000",
)
SUBDISTRICT = DemoOrg(
    key="luopu",
    name="老城区洛浦街道办事处",
    short_name="洛浦街道",
    kind="subdistrict",
    parent="district",
    credit_code=_credit_code("11410302MB0000002"),
    division_code="410302005",
    office_name="洛浦街道党政综合办公室",
    office_address="河南省洛阳市老城区洛浦路88号",
    office_hours=_HOURS,
    office_phone="0379-60000088",
    office_email="lpjd@lcq.example.gov.cn",
    office_postcode="471002",
)
HOUSING = DemoOrg(
    key="housing",
    name="洛阳市老城区住房和城乡建设局",
    short_name="老城区住建局",
    kind="department",
    parent="district",
    credit_code=_credit_code("11410302MB0000003"),
    division_code="410302",
    office_name="老城区住房和城乡建设局办公室",
    office_address="河南省洛阳市老城区中州东路1号3号楼",
    office_hours=_HOURS,
    office_phone="0379-60000003",
    office_email="zjj@lcq.example.gov.cn",
    office_postcode="471000",
)
# A 乡镇 under the district (issue 21): it follows the 乡镇 catalogue template, as the
# 住建局 follows the county-department one (gongkai/core/catalogue_templates/data/).
TOWNSHIP = DemoOrg(
    key="township",
    name="洛阳市老城区邙山镇人民政府",
    short_name="邙山镇",
    kind="township",
    parent="district",
    credit_code=_credit_code("11410302MB0000004"),
    division_code="410302100",
    office_name="邙山镇党政综合办公室",
    office_address="河南省洛阳市老城区邙山镇政府路1号",
    office_hours=_HOURS,
    office_phone="0379-60000100",
    office_email="msz@lcq.example.gov.cn",
    office_postcode="471003",
)
_COMMUNITY_NAMES = (
    "洛浦",
    "南关",
    "东关",
    "青年宫",
    "春都",
    "滨河",
    "民主街",
    "贴廓巷",
)
COMMUNITIES = tuple(
    DemoOrg(
        key=f"community{i}",
        name=f"洛浦街道{name}社区居民委员会",
        short_name=f"{name}社区",
        kind="community",
        parent="luopu",
        credit_code=_credit_code(f"5441030200000{i:03d}A"[:17]),
        division_code=f"410302005{i:03d}",
        office_name=f"{name}社区居民委员会",
        office_address=f"河南省洛阳市老城区洛浦街道{name}社区服务站",
        office_hours=_HOURS,
        office_phone=f"0379-6000{i:04d}",
        office_postcode="471002",
    )
    for i, name in enumerate(_COMMUNITY_NAMES, start=1)
)
ORGANISATIONS: tuple[DemoOrg, ...] = (
    DISTRICT,
    SUBDISTRICT,
    *COMMUNITIES,
    HOUSING,
    TOWNSHIP,
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    org: str
    role: str
    is_staff: bool = False


USERS: tuple[DemoUser, ...] = (
    DemoUser("officer", "张敏", "luopu", "officer"),
    DemoUser("head", "李建国", "luopu", "head"),
    DemoUser("leader", "王志强", "luopu", "leader"),
    *(
        DemoUser(f"liaison{i}", f"{name}社区联络员", f"community{i}", "liaison")
        for i, name in enumerate(_COMMUNITY_NAMES, start=1)
    ),
    DemoUser("zjofficer", "陈住建", "housing", "officer"),
    # Who writes and who approves the other bodies' annual reports
    # (reports/demo_history.py; the writer may not approve his own): the 住建局's,
    # the 镇's, and the district government's own (its 政务公开办, 条例第四十九条).
    DemoUser("zjhead", "周强", "housing", "head"),
    DemoUser("msofficer", "孙立", "township", "officer"),
    DemoUser("mshead", "吴磊", "township", "head"),
    DemoUser("qofficer", "郑文", "district", "officer"),
    DemoUser("qhead", "刘芳", "district", "head"),
    DemoUser("supervisor", "赵督查", "district", "supervisor"),
    DemoUser("sysadmin", "系统管理员", "district", "sysadmin", is_staff=True),
    DemoUser("secadmin", "安全管理员", "district", "secadmin", is_staff=True),
    DemoUser("auditor", "审计管理员", "district", "auditor", is_staff=True),
)
