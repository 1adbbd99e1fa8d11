"""``{% empty_feedback_box asks_useful %}``: the feedback box's empty form.

It is the same on every page (it posts to the page it is on and carries no
per-page value), so it is rendered once per process: built from the form and
the shared field templates it cost a page missing from the cache ten times what
its hand-written markup did (issue 24: such a page at half a bare view)."""

from __future__ import annotations

from functools import cache

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from gongkai.feedback.forms import FeedbackForm

register = template.Library()

FORM_TEMPLATE = "portal/_feedback_form.html"


@register.simple_tag
def empty_feedback_box(asks_useful: bool) -> SafeString:
    return _empty(bool(asks_useful))


@cache
def _empty(asks_useful: bool) -> SafeString:
    form = FeedbackForm(on_publication=asks_useful)
    return mark_safe(render_to_string(FORM_TEMPLATE, {"feedback_form": form}))  # noqa: S308 (rendered and escaped by the template)
