"""``{% bodypart "name" key… %}…{% endbodypart %}``: a piece of a portal page that
every page of a body shows alike (navigation, breadcrumb, footer), rendered once per
content version and kept in the process (``gongkai.portal.cache.body_part``).

The keys must name everything the piece shows that is not the body's own data
(which the content version covers): the piece must not read the request, the
page's own content or a per-visitor setting (the 适老化 switch stays outside).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

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
    engine's cost per variable is most of a list page that is not in the cache."""
    return format_html_join(
        "",
        '<li><a href="{}{}/">{}</a><span class="item-meta"><span class="issuer">{}'
        "</span><time>{}</time></span></li>",
        (
            (items_url, r["pk"], r["title"], r["issuing_body"], r["published_on"])
            for r in items
        ),
    )
