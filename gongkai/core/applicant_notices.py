"""What the applicant is told at each step: the wording of the e-mail and SMS
messages (data, not code) and the outcome in plain words.

Each message says what happened, what the applicant may or must do and by when, and
where to follow the case (the status page). A message names no personal data: the
applicant is "您", the case is its tracking number. ``{field}`` placeholders are
filled by :func:`render_notice`; a missing field is an error, never a blank.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from gongkai.core.inforequest_outcomes import Outcome, OutcomeGroup

__all__ = [
    "NOTICE_TEMPLATES",
    "NoticeTemplate",
    "RenderedNotice",
    "notice_fields",
    "plain_outcome",
    "render_notice",
]


@dataclass(frozen=True)
class NoticeTemplate:
    subject: str
    body: str  # e-mail text, one paragraph per line
    sms: str  # short text (a gateway splits messages over 70 characters)


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    body: str
    sms: str


_FOOT = "\n办理进度、文书下载：{status_url}（凭申请编号和查询码查询）\n{body_name}"
_SMS_FOOT = "进度查询：{status_url}"

NOTICE_TEMPLATES: dict[str, NoticeTemplate] = {
    # 收到申请 (第三十一条): registered, not yet reviewed — the letter is the 接收回执
    # and the case is 已登记待审核, so nothing here says 已受理 (the records do not show it).
    "received": NoticeTemplate(
        subject="【政府信息公开】您的申请已收到（{tracking}）",
        body=(
            "您的政府信息公开申请已于{received_on}收到并登记，申请编号{tracking}。\n"
            "依照《中华人民共和国政府信息公开条例》第三十三条，{body_name}将于{due_on}前答复您{provisional}。\n"
            "您现在无需做其他事情。接收回执可在查询页面下载。" + _FOOT
        ),
        sms=(
            "【政府信息公开】您的申请{tracking}已收到，答复期限{due_on}{provisional}。"
            + _SMS_FOOT
        ),
    ),
    # 补正告知 (第三十条): the applicant must act.
    "clarification": NoticeTemplate(
        subject="【政府信息公开】请补正您的申请（{tracking}）",
        body=(
            "{body_name}审查您的申请（编号{tracking}）后，需要您补正以下内容：{what}\n"
            "请在{deadline}前补正。无正当理由逾期不补正的，视为放弃申请（条例第三十条）；"
            "收到补正后，答复期限自收到补正之日起重新计算。\n"
            "补正告知书可在查询页面下载。" + _FOOT
        ),
        sms=(
            "【政府信息公开】您的申请{tracking}需要补正，请在{deadline}前补正，"
            "逾期视为放弃申请。" + _SMS_FOOT
        ),
    ),
    # 延期答复 (第三十三条第二款) and 延迟答复 (第三十五条).
    "extension": NoticeTemplate(
        subject="【政府信息公开】答复期限延长（{tracking}）",
        body=(
            "{body_name}已延长您的申请（编号{tracking}）的答复期限，新的答复期限为{due_on}{provisional}。\n"
            "理由：{reason}\n"
            "您无需做其他事情。延期答复告知书可在查询页面下载。" + _FOOT
        ),
        sms=(
            "【政府信息公开】您的申请{tracking}答复期限延长至{due_on}{provisional}。"
            + _SMS_FOOT
        ),
    ),
    # 说明理由 (第三十五条): the applicant may explain why so many requests.
    "reasons": NoticeTemplate(
        subject="【政府信息公开】请说明申请理由（{tracking}）",
        body=(
            "您的申请（编号{tracking}）数量、频次明显超过合理范围，依照条例第三十五条，"
            "请在{deadline}前说明理由；理由不合理的，{body_name}可以不予处理。\n"
            "说明理由告知书可在查询页面下载。" + _FOOT
        ),
        sms=(
            "【政府信息公开】请在{deadline}前说明申请{tracking}的理由（条例第三十五条）。"
            + _SMS_FOOT
        ),
    ),
    # 征求意见 (第三十二条): the clock is paused, until when.
    "consultation": NoticeTemplate(
        subject="【政府信息公开】征求意见期间答复期限暂停（{tracking}）",
        body=(
            "您申请的信息（编号{tracking}）需要征求{party}的意见（条例第三十二条），"
            "征求意见期间答复期限暂停计算，不计入答复期限（条例第三十三条第三款）。\n"
            "征求意见最迟至{paused_until}，之后答复期限继续计算。\n"
            "您无需做其他事情。" + _FOOT
        ),
        sms=(
            "【政府信息公开】您的申请{tracking}正在征求意见，答复期限暂停，"
            "最迟至{paused_until}后继续计算。" + _SMS_FOOT
        ),
    ),
    # 收费通知 (国办函〔2020〕109号): the applicant must pay, by when.
    "fee_notice": NoticeTemplate(
        subject="【政府信息公开】信息处理费缴费通知（{tracking}）",
        body=(
            "您的申请（编号{tracking}）需缴纳信息处理费{amount}元。\n"
            "请在{deadline}前缴纳；逾期未缴纳的，视为放弃申请。等待缴费期间不计入答复期限。\n"
            "收费通知书（含缴费方式）可在查询页面下载。" + _FOOT
        ),
        sms=(
            "【政府信息公开】您的申请{tracking}需缴纳信息处理费{amount}元，"
            "请在{deadline}前缴纳，逾期视为放弃申请。" + _SMS_FOOT
        ),
    ),
    # 答复 (第三十六条): the outcome, the letter online, the remedies.
    "reply": NoticeTemplate(
        subject="【政府信息公开】您的申请已答复：{outcome}（{tracking}）",
        body=(
            "{body_name}已于{replied_on}答复您的申请（编号{tracking}）：{outcome}{reason}。\n"
            "{delivery}\n"
            "{remedies}" + _FOOT
        ),
        sms=(
            "【政府信息公开】您的申请{tracking}已答复：{outcome}。答复告知书可在线下载。"
            + _SMS_FOOT
        ),
    ),
    # 终止 (逾期未补正 / 逾期未缴费 / 撤回): the case ends without a decision.
    "terminated": NoticeTemplate(
        subject="【政府信息公开】申请办理终止（{tracking}）",
        body=(
            "您的申请（编号{tracking}）已于{replied_on}终止办理：{reason}。\n"
            "如仍需要该信息，可以重新提出申请。{remedies}" + _FOOT
        ),
        sms=("【政府信息公开】您的申请{tracking}已终止办理：{reason}。" + _SMS_FOOT),
    ),
}


def notice_fields(key: str) -> frozenset[str]:
    """The ``{field}`` names a message uses (subject, body and SMS)."""
    tpl = NOTICE_TEMPLATES[key]
    names = set()
    for text in (tpl.subject, tpl.body, tpl.sms):
        names |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return frozenset(names)


def render_notice(key: str, fields: Mapping[str, object]) -> RenderedNotice:
    """Fill the message ``key``; a field it needs and was not given raises KeyError."""
    tpl = NOTICE_TEMPLATES[key]
    missing = notice_fields(key) - set(fields)
    if missing:
        raise KeyError(f"通知“{key}”缺少字段：{'、'.join(sorted(missing))}")
    values = {k: str(v) for k, v in fields.items()}
    return RenderedNotice(
        subject=tpl.subject.format_map(values),
        body=_tidy(tpl.body.format_map(values)),
        sms=tpl.sms.format_map(values),
    )


def _tidy(text: str) -> str:
    """Drop lines left empty by an empty field."""
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


_NUMBERING = re.compile(r"^(（[一二三四五六七]）|\d+\.)")


def plain_outcome(outcome: Outcome) -> tuple[str, str]:
    """The outcome as the applicant reads it: the table-三 group in plain words and,
    for a row under it, the row as the reason — e.g. ``("不予公开", "属于国家秘密")``,
    ``("予以公开", "")``."""
    group_label = outcome.group.label
    name = _NUMBERING.sub("", group_label).split("（", 1)[0]
    if outcome.group in (OutcomeGroup.GRANTED, OutcomeGroup.PARTIAL):
        return name, ""
    if outcome.group is OutcomeGroup.OTHER:
        name = "终止办理"
    return name, _NUMBERING.sub("", outcome.label)
