"""``{% bodypart "name" key… %}…{% endbodypart %}``: a piece of a portal page that
every page of a body shows alike (navigation, breadcrumb, footer), rendered once per
content version and kept in the process (``gongkai.portal.cache.body_part``).

The keys must name everything the piece shows that is not the body's own data
(which the content version covers): the piece must not read the request, the
page's own content or a per-visitor setting (the 适老化 switch stays outside).
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.inforequest_rules import chinese_day
from gongkai.portal.cache import body_part

register = template.Library()


class BodyPartNode(template.Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.keys = keys

    def render(self, context: Context) -> str:
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        key: tuple[Any, ...] = (
            "fragment",
            *(k.resolve(context) for k in self.keys),
        )
        return body_part(request, key, lambda: self.nodelist.render(context))


@register.tag("bodypart")
def do_bodypart(parser: Parser, token: Token) -> BodyPartNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("bodypart 需要一个名称和所依赖的值")
    nodelist = parser.parse(("endbodypart",))
    parser.delete_first_token()
    return BodyPartNode(nodelist, [parser.compile_filter(b) for b in bits[1:]])


@register.simple_tag
def item_rows(items: list[dict[str, Any]], items_url: str) -> SafeString:
    """The ``<li>`` of each item of a list page (``selectors.portal_title_rows``),
    escaped as the template would: written here as one piece because the template
    engine's cost per variable is most of a list page that is not in the cache.

    The values are plain text from the database, so Django's ``escape`` is
    ``html.escape`` itself; called directly, without Django's check of each
    argument for a lazy translation (``keep_lazy``), which cost more than the
    escaping of the list's 100 values."""
    url = escape(str(items_url))
    return mark_safe(  # noqa: S308 (every value escaped above or here)
        "".join(
            f'<li><a href="{url}{int(r["pk"])}/">{escape(r["title"])}</a>'
            f'<span class="item-meta"><span class="issuer">{escape(r["issuing_body"])}'
            f"</span>{_day(r['published_on'])}</span></li>"
            for r in items
        )
    )


def _day(iso: str) -> str:
    """``<time datetime="2026-12-07">2026年12月7日</time>``: the reader's form
    (``DATE_FORMAT``), ISO for machines; "" for an item with no day."""
    if not iso:
        return "<time></time>"
    return (
        f'<time datetime="{escape(iso)}">{chinese_day(date.fromisoformat(iso))}</time>'
    )


@register.simple_tag
def publication_meta(p: Any) -> SafeString:
    """The detail page's table of 索引号, 主题分类, 发布机构, 成文日期, 文号, 发布日期,
    更新日期 (of an item whose information changed after publication), 标题 (and
    有效性 of a 规范性文件), escaped as the template would: one piece, as
    ``item_rows``, for a page served on a cache miss (issue 24: the template's
    lookups and two ``date`` filters were a fifth of the page's own work)."""
    published = (
        chinese_day(timezone.localtime(p.published_at).date()) if p.published_at else ""
    )
    formed = chinese_day(p.formed_on) if p.formed_on else ""
    rows = [
        _meta_row("索引号", p.index_no, "主题分类", p.topic or "—"),
        _meta_row("发布机构", p.issuing_body, "成文日期", formed),
        _meta_row("文号", p.document_number or "—", "发布日期", published),
    ]
    # The day the changed information reached the public (条例第二十六条 "变更";
    # Publication.disclosed_at), when it is not the first publication.
    updated = p.disclosed_at
    if updated is not None and updated != p.published_at:
        day = chinese_day(timezone.localtime(updated).date())
        rows.append(
            f'<tr><th scope="row">更新日期</th><td colspan="3">{escape(day)}</td></tr>'
        )
    rows.append(
        f'<tr><th scope="row">标题</th><td colspan="3">{escape(p.title)}</td></tr>'
    )
    if p.is_normative:
        rows.append(
            '<tr><th scope="row">有效性</th>'
            f'<td colspan="3">{escape(p.get_validity_display())}</td></tr>'
        )
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'<table class="table meta">{"".join(rows)}</table>'
    )


def _meta_row(label: str, value: str, label2: str, value2: str) -> str:
    return (
        f'<tr><th scope="row">{label}</th><td>{escape(value)}</td>'
        f'<th scope="row">{label2}</th><td>{escape(value2)}</td></tr>'
    )
