from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from gongkai.calendars.selectors import work_calendar
from gongkai.core.publication_flow import Action, Status
from gongkai.publishing import content
from gongkai.publishing.models import Publication
from gongkai.publishing.reference import Channel
from gongkai.publishing.services.deadlines import publication_due_is_provisional

register = template.Library()


@register.simple_tag(takes_context=True)
def due_provisional(context: template.Context, pub: Publication) -> bool:
    """Whether the row's 应公开日期 is 临时 — the calendar read once per page, not
    once per row (``{% due_provisional p as provisional %}``)."""
    cached = context.render_context
    if "work_calendar" not in cached:
        cached["work_calendar"] = work_calendar()
    return publication_due_is_provisional(pub, cached["work_calendar"])


@register.filter
def get_cell(cells: dict[str, Any], key: str) -> Any:
    """A table 二 cell by its flat key (keys contain dots, so no template lookup)."""
    return cells.get(key, "")


@register.filter
def channel_label(key: str) -> str:
    return dict(Channel.choices).get(key, key)


_EVENT_LABELS = {
    "create": "创建",
    "edit": "修改草稿",
    "go_live": "到时发布",
    "mask": "一键遮蔽个人信息",
    "mask_attachment": "生成遮蔽后的附件",
    "pii_basis": "记录个人信息公开依据",
}
_SYNC_LABELS = {
    "ready": "待发送",
    "failed": "发送失败",
    "missing": "未入队",
    "stale_revision": "旧版本",
    "superseded": "旧版本待撤下",
    "retract": "待撤下",
}


@register.filter
def field_label(name: str) -> str:
    """The Chinese name of a publication field (for the change list)."""
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = Publication._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


@register.filter
def action_label(action: str) -> str:
    if action in _EVENT_LABELS:
        return _EVENT_LABELS[action]
    try:
        return Action(action).label
    except ValueError:
        return action


@register.filter
def status_label(status: str) -> str:
    try:
        return Status(status).label
    except ValueError:
        return status


@register.filter
def sync_label(state: str) -> str:
    return _SYNC_LABELS.get(state, state)


@register.filter
def body_html(body: str) -> SafeString:
    """正文 for a page: sanitised rich text, or plain text as paragraphs."""
    return mark_safe(content.body_html(body))  # noqa: S308 - cleaned by nh3 just above
