"""Where an applicant or third party can challenge a decision — produced by code.

Legal content that must not be edited away — the remedies paragraph (行政复议法 2023,
行政诉讼法) — is :func:`remedies_paragraph`, never a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gongkai.core.inforequest_flow import Outcome


class AgencyKind(StrEnum):
    """What kind of body issues the letter; decides the 行政复议机关 (行政复议法 2023)."""

    GOVERNMENT_DEPARTMENT = "government_department"
    LOCAL_GOVERNMENT = "local_government"
    DISPATCHED_ORGAN = "dispatched_organ"
    STATE_COUNCIL_DEPARTMENT = "state_council_department"
    VERTICAL_AGENCY = "vertical_agency"


_REVIEW_RULES: dict[AgencyKind, str] = {
    AgencyKind.GOVERNMENT_DEPARTMENT: (
        "县级以上地方人民政府工作部门：向本级人民政府申请行政复议"
        "（行政复议法第二十四条第一款第（一）项）"
    ),
    AgencyKind.LOCAL_GOVERNMENT: (
        "乡镇、县、市人民政府：向上一级人民政府申请行政复议（行政复议法第二十四条第一款第（二）项）"
    ),
    # [U] 第（三）项 quoted from memory: see docs/legal-notes.md §3.
    AgencyKind.DISPATCHED_ORGAN: (
        "街道办事处等人民政府的派出机关：向设立该派出机关的人民政府申请行政复议"
        "（行政复议法第二十四条第一款第（三）项）"
    ),
    AgencyKind.STATE_COUNCIL_DEPARTMENT: (
        "国务院部门：向作出该行政行为的国务院部门申请行政复议（行政复议法第二十五条）"
    ),
    AgencyKind.VERTICAL_AGENCY: (
        "海关、金融、外汇管理等实行垂直领导的行政机关以及税务、国家安全机关："
        "向上一级主管部门申请行政复议（行政复议法第二十七条）"
    ),
}


def review_body_rule(kind: AgencyKind) -> str:
    """Which body reviews this kind of agency's decisions, with the article (for setup)."""
    return _REVIEW_RULES[kind]


@dataclass(frozen=True)
class Remedies:
    """Where the applicant can challenge a reply (set once per organisation)."""

    review_body: str  # e.g. "洛阳市老城区人民政府"
    court: str = "有管辖权的人民法院"


def remedies_paragraph(
    remedies: Remedies, *, outcome: Outcome | None = None, you: str = "您"
) -> str:
    """The remedies clause of a reply (docs/legal-notes.md §2.2, §3).

    行政复议 within 60 days (行政复议法 2023 第二十条), 行政诉讼 within 6 months
    (行政诉讼法第四十六条). For a refusal to disclose, 复议前置 (行政复议法第二十三条
    第一款第（四）项、第二款): first 行政复议, then a suit within 15 days of the
    review decision (行政诉讼法第四十五条). For 部分公开 only the withheld part is
    subject to it. ``outcome=None`` gives the general clause (e.g. for a third party
    told of a decision to disclose).
    """
    review = f"自收到本告知书之日起60日内向{remedies.review_body}申请行政复议"
    suit = f"自收到本告知书之日起6个月内向{remedies.court}提起行政诉讼"
    first = (
        f"应当先{review}；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内"
        "依法向人民法院提起行政诉讼"
    )
    if outcome is Outcome.PARTIAL:
        return (
            f"{you}对本告知书中不予公开的部分不服的，根据《中华人民共和国行政复议法》"
            f"第二十三条的规定，{first}；对其他内容不服的，可以{review}，或者{suit}。"
        )
    if outcome is not None and outcome.review_first:
        return f"{you}对本决定不服的，根据《中华人民共和国行政复议法》第二十三条的规定，{first}。"
    return f"{you}对本告知书不服的，可以{review}，或者{suit}。"
