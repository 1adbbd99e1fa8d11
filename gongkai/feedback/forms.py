"""The reader's feedback box of the portal (on a publication and on a column)."""

from __future__ import annotations

from django import forms

from gongkai.core.engagement_rules import CONTACT_MAX_CHARS, PUBLIC_COMMENT_MAX_CHARS
from gongkai.feedback.models import SURVEY_QUESTIONS
from gongkai.formbase import Form


def _comment_field(label: str) -> forms.CharField:
    """A public comment: optional, at most ``PUBLIC_COMMENT_MAX_CHARS`` (one over
    is told in Chinese with the limit, the text kept in the box)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=PUBLIC_COMMENT_MAX_CHARS,
        help_text=f"最多{PUBLIC_COMMENT_MAX_CHARS}字；不能包含网址或网页代码。",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(Form):
    """The fields only: ``services.feedback_submit`` checks the text (no markup, no
    links, a telephone number or e-mail as 联系方式) and reports every fault at once."""

    useful = forms.ChoiceField(
        label="这条信息是否有用",
        choices=[("1", "有用"), ("0", "没用")],
        widget=forms.RadioSelect,
        required=False,
    )
    comment = _comment_field("意见或建议（经审核后公开）")
    contact = forms.CharField(
        label="联系方式（可选，不公开）",
        required=False,
        max_length=CONTACT_MAX_CHARS,
        help_text="电话号码或电子邮箱，便于我们回复您。",
    )

    def __init__(self, *args: object, on_publication: bool, **kwargs: object) -> None:
        # Ids of their own: the box shares its page with other forms (search).
        kwargs.setdefault("auto_id", "fb-%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not on_publication:  # 有用/没用 is asked of an item, not of a column
            del self.fields["useful"]

    def useful_vote(self) -> bool | None:
        return {"1": True, "0": False}.get(self.cleaned_data.get("useful") or "")


class SurveyForm(Form):
    """满意度测评: a 1–5 score for each question and an optional comment. The fields
    only: ``services.survey_answer`` checks the scores and the comment and reports
    every fault at once; the bound form gives everything typed back with them."""

    comment = _comment_field("意见和建议")

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "sv-%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        scores = [(str(n), f"{n} 分") for n in range(1, 6)]
        questions = {
            key: forms.ChoiceField(
                label=label,
                choices=scores,
                widget=forms.RadioSelect,
                # The service's message names the question: "请为“…”选择 1–5 分。"
                required=False,
            )
            for key, label in SURVEY_QUESTIONS
        }
        self.fields = {**questions, "comment": self.fields["comment"]}

    def scores(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key, _ in SURVEY_QUESTIONS}


class ReplyForm(Form):
    """The moderator's optional reply, shown with the feedback once published."""

    reply = forms.CharField(
        label="回复（可选）",
        required=False,
        widget=forms.TextInput(attrs={"size": 40}),
    )
