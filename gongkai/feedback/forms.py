"""The reader's feedback box of the portal (on a publication and on a column)."""

from __future__ import annotations

from django import forms

from gongkai.feedback.services import MAX_COMMENT, MAX_CONTACT
from gongkai.formbase import Form


class FeedbackForm(Form):
    """The fields only: ``services.feedback_submit`` checks the text (no markup, no
    links, a telephone number or e-mail as 联系方式) and reports every fault at once."""

    useful = forms.ChoiceField(
        label="这条信息是否有用",
        choices=[("1", "有用"), ("0", "没用")],
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label="意见或建议（经审核后公开）",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact = forms.CharField(
        label="联系方式（可选，不公开）",
        required=False,
        max_length=MAX_CONTACT,
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


class ReplyForm(Form):
    """The moderator's optional reply, shown with the feedback once published."""

    reply = forms.CharField(
        label="回复（可选）",
        required=False,
        widget=forms.TextInput(attrs={"size": 40}),
    )
