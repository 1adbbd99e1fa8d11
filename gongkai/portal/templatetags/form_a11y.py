"""Fields linked to their help and error texts for screen readers (issue 17, req. 9).

Django 5.2 adds ``aria-describedby`` for a field's help text only (and only when
the template gives the help its ``<id>_helptext`` id); a field's error messages
stay unlinked. ``{{ field|described }}`` renders the widget with both ids and
``aria-invalid``; the template prints the texts under those ids
(``{{ field.auto_id }}_helptext``, ``{{ field.auto_id }}_error``).
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def described(field: BoundField) -> SafeString:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def summary_line(field: BoundField, error: str) -> str:
    """One line of the error summary: the field's name and its error, once — a
    message that already opens with the name ("联系方式请填写…", the formbase wording)
    is not prefixed with it again ("联系方式（可选，不公开）：联系方式请填写…")."""
    label = str(field.label or "")
    name = label.split("（", 1)[0].split("(", 1)[0].strip()
    text = str(error)
    if name and text.startswith(name):
        return text
    return f"{label}：{text}" if label else text
