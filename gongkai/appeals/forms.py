"""Forms of the 复议、诉讼 screens: they bind and convert input; the rules and their
Chinese messages live in the services and ``core.appeal_deadlines``."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.appeals.models import Appeal, AppealDocument
from gongkai.formbase import Form

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The longest 说明 (issue 17, requirement 9); longer is refused in Chinese naming
# the field and both counts (gongkai/formbase.py).
NOTE_MAX_LENGTH = 2000


def _date(label: str, *, required: bool = False) -> forms.DateField:
    # Messages naming the date ("请填写立案/受理日期。") come from gongkai.formbase.
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET)


class AppealForm(Form):
    kind = forms.ChoiceField(
        label="案件类型",
        choices=Appeal.Kind.choices,
        error_messages={"required": "请选择案件类型。", "invalid_choice": "类型无效。"},
    )
    case_number = forms.CharField(label="案号", max_length=60, required=False)
    applicant = forms.CharField(label="申请人/原告", max_length=100, required=False)
    authority = forms.CharField(
        label="复议机关/人民法院", max_length=100, required=False
    )
    tracking_numbers = forms.CharField(
        label="涉及的申请（受理编号，多个用空格或逗号分隔）",
        max_length=500,
        required=False,
    )
    matter = forms.CharField(
        label="或涉及的主动公开事项", max_length=200, required=False
    )
    filed_on = _date("立案/受理日期", required=True)
    received_on = _date("收到申请书副本/起诉状副本日期")
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def numbers(self) -> list[str]:
        raw = self.cleaned_data.get("tracking_numbers") or ""
        return [n for n in raw.replace("，", " ").replace(",", " ").split() if n]


class ReplyForm(Form):
    replied_on = _date("提交答复/答辩日期", required=True)


class DecisionForm(Form):
    result = forms.ChoiceField(
        label="结果",
        choices=Appeal.Result.choices,
        error_messages={"required": "请选择结果。", "invalid_choice": "结果无效。"},
    )
    correction = forms.ChoiceField(
        label="纠正方式（结果为纠正时）",
        choices=[("", "—"), *Appeal.Correction.choices],
        required=False,
    )
    decided_on = _date("决定/判决日期", required=True)
    delivered_on = _date("送达日期")


class DocumentForm(Form):
    role = forms.ChoiceField(label="材料类型", choices=AppealDocument.Role.choices)
    file = forms.FileField(
        label="文件", error_messages={"required": "请选择要上传的文件。"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
