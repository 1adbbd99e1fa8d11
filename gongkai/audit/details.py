"""An audit row's 详情 as the 审计管理员 reads it: each key by its Chinese name, each
value as text (lists joined, 是/否, dates written out, a step's statuses by name).

The stored JSON is never changed; this only reads it. A key not named here (a new
one) is not hidden: it is listed under 其他 with the key as stored, marked 原始字段,
so the auditor still sees everything the row holds. The keys are those the
``audit_record(..., details=...)`` calls write; a new key gets its name here."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format

# Only the admin imports this module (after every app is loaded), so it may read
# the names where they are kept.
from gongkai.audit.labels import FLOWS
from gongkai.core import inforequest_flow
from gongkai.core.pii.rules import Kind
from gongkai.inforequests.letters import LETTER_KIND_LABELS
from gongkai.ops.models import JOB_LABELS
from gongkai.orgs.models import Role
from gongkai.supervision.models import INDICATOR_LABELS

DETAIL_KEYS = {
    "administrators": "管理员账号",
    "adoption": "采纳情况",
    "after": "修改后",
    "amount_wan": "金额（万元）",
    "area": "公开领域",
    "assistance": "协办请求编号",
    "attachment": "附件编号",
    "attachments": "附件数",
    "attribute": "公开属性",
    "bad_lines": "格式有误的行数",
    "basis": "公开依据",
    "before": "修改前",
    "below": "含下级单位",
    "bodies": "检查单位数",
    "cases": "期限变动的申请（编号、原期限、新期限）",
    "changed": "改动",
    "changed_on": "更新日期",
    "changes": "修改内容",
    "channel": "渠道",
    "closes_on": "截止日期",
    "code": "编码",
    "confirmed_fixed": "确认已整改数",
    "contact": "联系方式",
    "copy": "遮盖后副本编号",
    "correction": "纠正情况",
    "created": "新建",
    "created_items": "新建事项数",
    "days": "保留天数",
    "decided_on": "决定日期",
    "delivered_on": "送达日期",
    "devices": "动态口令设备数",
    "document": "材料编号",
    "engine": "数据库类型",
    "entries": "条目数",
    "error": "错误",
    "errors": "错误",
    "event": "办理记录编号",
    "events": "办理记录数",
    "expires_at": "有效期至",
    "extra_workdays": "调休上班日",
    "failures_cleared": "清除的失败记录数",
    "field": "查看的字段",
    "fields": "修改的字段",
    "file": "文件",
    "files": "文件",
    "files_masked": "已遮盖文件数",
    "filters": "筛选条件",
    "finding": "检查提示",
    "findings": "发现问题数",
    "first": "首次下载",
    "format": "格式",
    "from": "原状态",
    "from_portal": "网上提交",
    "from_request": "原申请编号",
    "from_revision": "原版本",
    "go_live_at": "定时发布时间",
    "ground": "遮盖理由",
    "handed_in_at": "收件地点",
    "handler": "承办人",
    "holidays": "放假日期",
    "id_keep": "身份证号保留位数",
    "id_number": "含身份证号",
    "index_no": "索引号",
    "is_active": "启用",
    "is_major": "重大决策",
    "issued_on": "成文日期",
    "item": "事项",
    "items": "条目数",
    "job": "任务",
    "key": "项目",
    "kind": "类型",
    "kinds": "类型",
    "late": "逾期",
    "letter": "文书编号",
    "letters": "文书",
    "links": "检查链接数",
    "mail": "邮件编号",
    "mark": "遮盖标注编号",
    "marks": "遮盖标注数",
    "masked": "已遮盖",
    "method": "送达方式",
    "moved": "期限变动的申请数",
    "name": "名称",
    "name_mask": "姓名遮盖方式",
    "needs_hand": "需人工处理",
    "new": "新值",
    "note": "说明",
    "notice": "通知编号",
    "notices": "通知数",
    "number": "文号",
    "number_prefix": "文号前缀",
    "old": "原值",
    "on": "日期",
    "on_time": "按期",
    "opened": "新发现问题数",
    "opinion": "意见",
    "organisation": "机构编号",
    "outcome": "办理结果",
    "owner": "负责方编号",
    "pages": "页数",
    "path": "存放位置",
    "prefix": "令牌前缀",
    "public": "公开",
    "public_values": "可公开的值",
    "publication": "信息编号",
    "quarter": "季度",
    "reason": "原因",
    "reasons_requested_on": "要求说明理由日期",
    "recipients": "接收单位编号",
    "redaction": "遮盖文件编号",
    "ref": "征求意见对象",
    "remaining": "剩余",
    "reopened": "重新打开数",
    "replaced": "替换原有",
    "replied_on": "答复日期",
    "requests": "关联申请编号",
    "result": "结果",
    "review_body": "复议机关",
    "revision": "版本",
    "role": "角色",
    "rows": "行数",
    "rulepack": "考评指标包",
    "scopes": "权限范围",
    "score": "评分",
    "sections": "修改的部分",
    "sha256": "文件摘要（SHA-256）",
    "signature": "病毒特征",
    "since": "起始",
    "since_year": "起始年度",
    "size": "大小（字节）",
    "state": "状态",
    "status": "状态",
    "template": "模板",
    "text_masked": "已遮盖正文",
    "through_id": "清理至记录编号",
    "title": "标题",
    "to": "新状态",
    "to_organisation": "转送机关编号",
    "tracking_number": "申请编号",
    "transfer": "转送编号",
    "trigger": "触发方式",
    "unreadable": "无法读取的文件数",
    "until": "截止",
    "usable": "密码可用",
    "user": "用户",
    "username": "用户名",
    "via": "下载途径",
    "weights": "权重",
    "where": "公开位置",
    "year": "年度",
}

# Where one operation means something else by a key than the rest.
ACTION_DETAIL_KEYS = {
    ("security.unlock", "key"): "账号或地址",
    ("inforequest.letter_wording", "key"): "文书",
    ("report.manual_figure", "key"): "指标",
    ("security.rotate_field_keys", "key"): "密钥编号",
    ("security.restore", "created"): "备份时间",
    ("org.move", "from"): "原位置",
    ("org.move", "to"): "新位置",
    ("publishing.decision.import", "created"): "新建条数",
    ("inforequest.assistance_request", "organisation"): "协办机关编号",
}


def _field_choices(label: str, name: str) -> Callable[[], Mapping[str, str]]:
    """A model field's own choices, {code: name} (looked up when first needed)."""

    def names() -> Mapping[str, str]:
        field = apps.get_model(label)._meta.get_field(name)
        return {str(code): str(text) for code, text in field.flatchoices}

    return names


def _pii_kinds() -> Mapping[str, str]:
    return {kind.value: kind.label for kind in Kind}


def _letter_kinds() -> Mapping[str, str]:
    return LETTER_KIND_LABELS


def _job_names() -> Mapping[str, str]:
    return JOB_LABELS


def _indicator_names() -> Mapping[str, str]:
    return INDICATOR_LABELS


# Values that are codes where the row's object has no field of that name with
# choices (those are named from the field itself): (operation prefix, key) → the
# source that names them. Never a copy of the names: each points at its source.
VALUE_NAMES: tuple[tuple[str, str, Callable[[], Mapping[str, str]]], ...] = (
    ("inforequest.letter", "kind", _letter_kinds),
    (
        "inforequest.notice",
        "channel",
        _field_choices("inforequests.ApplicantNotice", "channel"),
    ),
    (
        "inforequest.redaction.",
        "kind",
        _field_choices("inforequests.RedactionMark", "kind"),
    ),
    ("privacy.", "kinds", _pii_kinds),
    ("privacy.", "kind", _pii_kinds),
    ("privacy.", "name_mask", _field_choices("privacy.PrivacyRules", "name_mask")),
    ("ops.", "job", _job_names),
)

# Mappings whose keys are codes (a scheme's weights by indicator): (operation
# prefix, key of the mapping) → the source that names its keys.
MAPPING_KEY_NAMES: tuple[tuple[str, str, Callable[[], Mapping[str, str]]], ...] = (
    ("supervision.", "weights", _indicator_names),
)


def _named(
    table: tuple[tuple[str, str, Callable[[], Mapping[str, str]]], ...],
    action: str,
    key: str,
    code: str,
) -> str | None:
    for prefix, name, source in table:
        if name == key and action.startswith(prefix):
            found = source().get(code)
            if found is not None:
                return str(found)
    return None


def _choice_name(model: Any, key: str, value: str) -> str | None:
    """A value of a field with choices of the row's object, by the choice's name."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    for code, text in getattr(field, "flatchoices", None) or ():
        if str(code) == value:
            return str(text)
    return None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True)
class DetailRows:
    known: list[tuple[str, str]] = field(default_factory=list)  # (name, value)
    other: list[tuple[str, str]] = field(default_factory=list)  # (stored key, value)


def _model(object_type: str) -> Any:
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field_name(model: Any, key: str) -> str | None:
    """A key not named above that is a field of the row's object (an organisation's
    联系电话) by the field's Chinese name."""
    if model is None:
        return None
    try:
        return str(model._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return None


def key_name(action: str, key: str, model: Any = None) -> str | None:
    """The Chinese name of a 详情 key, or None if it has none (shown as stored)."""
    return (
        ACTION_DETAIL_KEYS.get((action, key))
        or DETAIL_KEYS.get(key)
        or _field_name(model, key)
    )


def _text(value: str) -> str:
    if _ISO_DATE.match(value):
        try:
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    if _ISO_DATETIME.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "DATETIME_FORMAT")
    return value


def _coded(action: str, key: str, value: str) -> str | None:
    """A status, outcome or role code by its Chinese name (None: not one)."""
    if key in ("from", "to"):
        for prefix, _domain, flow in FLOWS:
            if action.startswith(prefix):
                try:
                    return str(flow.Status(value).label)
                except ValueError:
                    return None
    if key == "outcome" and action.startswith("inforequest."):
        try:
            return str(inforequest_flow.Outcome(value).label)
        except ValueError:
            return None
    if key == "role":
        return str(Role(value).label) if value in Role.values else None
    return None


def value_text(action: str, key: str, value: Any, model: Any = None) -> str:
    """A 详情 value as text: 是/否, lists joined, dates written out, codes named."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return (
            _coded(action, key, value)
            or _named(VALUE_NAMES, action, key, value)
            or _choice_name(model, key, value)
            or _text(value)
        )
    if isinstance(value, list | tuple):
        if key in ("changed", "fields"):  # a list of the object's field names
            value = [
                (_field_name(model, v) or v) if isinstance(v, str) else v for v in value
            ]
        parts = [value_text(action, key, item, model) for item in value]
        nested = any(isinstance(item, list | tuple | Mapping) for item in value)
        return ("；" if nested else "、").join(parts) if parts else "无"
    if isinstance(value, Mapping):
        if not value:
            return "无"
        return "；".join(
            f"{_mapping_key(action, key, str(k), model)}：{_entry(action, key, str(k), v, model)}"
            for k, v in value.items()
        )
    return str(value)


def _mapping_key(action: str, parent: str, key: str, model: Any) -> str:
    """A key inside a mapping: a code named by its source, else a 详情 key's name."""
    return (
        _named(MAPPING_KEY_NAMES, action, parent, key)
        or key_name(action, key, model)
        or key
    )


def _entry(action: str, parent: str, key: str, value: Any, model: Any) -> str:
    """One entry of a nested mapping; a change (``changes``) as 原值 → 新值."""
    if parent == "changes" and isinstance(value, list) and len(value) == 2:
        return " → ".join(value_text(action, key, v, model) for v in value)
    return value_text(action, key, value, model)


def detail_rows(action: str, object_type: str, details: Any) -> DetailRows:
    """The rows of an audit event's 详情: named keys, then the rest as stored."""
    rows = DetailRows()
    if not isinstance(details, Mapping):
        if details not in (None, "", [], {}):
            rows.other.append(("", value_text(action, "", details)))
        return rows
    model = _model(object_type)
    for key, value in details.items():
        name = key_name(action, str(key), model)
        text = value_text(action, str(key), value, model)
        if name is None:
            rows.other.append((str(key), text))
        else:
            rows.known.append((name, text))
    return rows
