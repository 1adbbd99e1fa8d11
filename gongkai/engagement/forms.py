"""Forms of 政民互动. The public forms check what was typed by the rules the
services apply (``core.engagement_rules``: no links or scripts, the length, a
telephone number or e-mail), so a wrong CAPTCHA answer, which stops the service
from being asked, still comes with every other fault at once; the services check
again (and the consultation's period). The forms also carry the CAPTCHA box and
the bot trap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.validators import validate_email

from gongkai.core.engagement_rules import (
    CONTACT_MAX_CHARS,
    MESSAGE_MAX_CHARS,
    PUBLIC_COMMENT_MAX_CHARS,
    check_optional_contact,
    check_public_text,
)
from gongkai.engagement.models import ConsultationComment
from gongkai.formbase import Form

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# What the services allow of the short fields (engagement/services.py).
MAX_NAME_CHARS = 50
MAX_SUBJECT_CHARS = 100  # it goes into an e-mail subject
MAX_EMAIL_CHARS = 200


def _by_rule(check: Callable[..., str], value: str, **rule: Any) -> str:
    try:
        return check(value, **rule)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from exc


def _optional_line(value: str, *, label: str) -> str:
    """A name: may be left out; one line, no markup or link."""
    if not value:
        return ""
    return _by_rule(
        check_public_text,
        value,
        label=label,
        max_chars=MAX_NAME_CHARS,
        single_line=True,
    )


class _Public(Form):
    captcha = forms.CharField(label="验证题", max_length=4)
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)


class CommentForm(_Public):
    text = forms.CharField(
        label="意见",
        widget=forms.Textarea(attrs={"rows": 5}),
        # One over is answered in Chinese with the limit and the count
        # (formbase), the text kept in the box.
        max_length=PUBLIC_COMMENT_MAX_CHARS,
        help_text=f"最多{PUBLIC_COMMENT_MAX_CHARS}字；不能包含网址或网页代码。"
        "经审核后公开。",
    )
    name = forms.CharField(label="署名（可选，公开）", required=False, max_length=100)
    contact = forms.CharField(
        label="联系方式（可选，不公开）",
        required=False,
        max_length=CONTACT_MAX_CHARS,
        help_text="电话号码或电子邮箱。",
    )
    field_order = ["text", "name", "contact", "captcha"]

    def clean_text(self) -> str:
        return _by_rule(
            check_public_text,
            self.cleaned_data["text"],
            label="意见",
            max_chars=PUBLIC_COMMENT_MAX_CHARS,
        )

    def clean_name(self) -> str:
        return _optional_line(self.cleaned_data["name"], label="署名")

    def clean_contact(self) -> str:
        return _by_rule(
            check_optional_contact,
            self.cleaned_data["contact"],
            label="联系方式",
            max_chars=CONTACT_MAX_CHARS,
        )


class MessageForm(_Public):
    subject = forms.CharField(label="标题", max_length=200)
    question = forms.CharField(
        label="留言内容",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MESSAGE_MAX_CHARS,
        help_text=f"最多{MESSAGE_MAX_CHARS}字；不能包含网址或网页代码。",
    )
    name = forms.CharField(label="姓名（可选，不公开）", required=False, max_length=100)
    email = forms.CharField(
        label="电子邮箱（不公开）",
        max_length=300,
        help_text="答复将发送到该邮箱。",
    )
    field_order = ["subject", "question", "name", "email", "captcha"]

    def clean_subject(self) -> str:
        return _by_rule(
            check_public_text,
            self.cleaned_data["subject"],
            label="标题",
            max_chars=MAX_SUBJECT_CHARS,
            single_line=True,
        )

    def clean_question(self) -> str:
        return _by_rule(
            check_public_text,
            self.cleaned_data["question"],
            label="留言内容",
            max_chars=MESSAGE_MAX_CHARS,
        )

    def clean_name(self) -> str:
        return _optional_line(self.cleaned_data["name"], label="姓名")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        try:
            validate_email(email)
        except forms.ValidationError:
            email = ""
        if not email or len(email) > MAX_EMAIL_CHARS:
            raise forms.ValidationError("请填写有效的电子邮箱，答复将发送到该邮箱。")
        return email


class ConsultationForm(Form):
    title = forms.CharField(label="草案名称", max_length=200)
    body = forms.CharField(
        label="草案内容及说明", widget=forms.Textarea(attrs={"rows": 10})
    )
    is_major = forms.BooleanField(label="属于重大行政决策", required=False)
    opens_on = forms.DateField(label="征求意见开始日期", widget=DATE)
    closes_on = forms.DateField(label="征求意见截止日期", widget=DATE)


class AdoptionForm(Form):
    adoption = forms.ChoiceField(
        label="采纳情况",
        choices=[c for c in ConsultationComment.Adoption.choices if c[0]],
    )
    reason = forms.CharField(
        label="说明或未采纳理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResultForm(Form):
    summary = forms.CharField(
        label="采纳情况说明", widget=forms.Textarea(attrs={"rows": 5})
    )


class AnswerForm(Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 6}))
    public = forms.BooleanField(
        label="在专栏公开问题和答复（不含联系方式）", required=False
    )
    mask = forms.BooleanField(
        label="遮蔽个人信息后公开",
        required=False,
        help_text="公开前检查标题、留言和答复中的个人信息；发现时不勾选则不能公开，"
        "勾选则以遮蔽后的内容公开（答复邮件仍发送原文）。",
    )
