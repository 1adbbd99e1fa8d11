"""Forms of the application screens. They only bind and convert input; the rules
(and their Chinese messages) live in the services and ``core``."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from gongkai.core.fees import MAX_PAGES, MAX_PIECES
from gongkai.core.identifiers import IdDocumentType
from gongkai.core.inforequest_flow import (
    MAX_EXTENSION_WORKING_DAYS,
    Action,
    ApplicantType,
    IntakeChannel,
    Outcome,
    OutcomeGroup,
    Status,
)
from gongkai.core.inforequest_intake import INTAKE_MAX_LENGTHS
from gongkai.core.inforequest_rules import PARTIAL_WITHHELD_GROUNDS, ConsultationOpinion
from gongkai.core.inforequest_text import (
    DETAIL_MAX_LENGTH,
    LETTER_TEXT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    text_limit,
)
from gongkai.core.letters import FIELD_LABELS, TEMPLATE_FIELDS, ReplyVariant
from gongkai.core.workdays.urgency import URGENCY_FILTERS
from gongkai.formbase import Form
from gongkai.inforequests import intake
from gongkai.inforequests.letters import AUTOMATIC_FIELDS, CASE_FIELDS
from gongkai.inforequests.models import InfoRequest

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The longest free text a step takes (issue 17, requirement 9) is one table,
# core/inforequest_text.py, which the step layer and the services enforce for the API
# too; the forms take their max_length from it (text_limit(step, field)) so a screen
# says the same "需要补正的事项最多1000个字，现有1500个字。" before the step runs.


def _date(
    label: str, *, required: bool = False, help_text: str = ""
) -> forms.DateField:
    # Messages naming the date ("请填写提交日期。") come from gongkai.formbase.
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET, help_text=help_text
    )


def outcome_choices() -> list[Any]:
    """The 21 result rows of table 三, grouped under （一）…（六）."""
    choices: list[Any] = [("", "请选择办理结果")]
    for group in OutcomeGroup:
        rows = [(o.value, o.label) for o in Outcome if o.group is group]
        choices.append((group.label, rows))
    return choices


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --------------------------------------------------------------------------- intake

_REGISTRATION_FIELDS = [
    f.name for f in dataclasses.fields(intake.Registration) if f.name != "errors"
]
_REGISTRATION_DATES = {"submitted_on", "signed_for_on", "confirmed_on"}


def add_registration_errors(form: forms.Form, today: date, **fixed: Any) -> None:
    """All the errors of an application in one answer: run the intake checks
    (``intake.registration_check``, no write) on what was typed even when the form
    already has errors (a wrong e-mail, a missing choice, a wrong 验证题), and add
    those of fields that have none yet. A field the form refused is passed as typed
    (a date the form could not read: today for the 提交日期, else blank), so no
    cross-field check blames another field for it. ``fixed``: values the form does
    not ask (the portal's channel and dates)."""
    cleaned = getattr(form, "cleaned_data", {})
    values: dict[str, Any] = {}
    for name in _REGISTRATION_FIELDS:
        if name in fixed:
            value = fixed[name]
        elif name in cleaned:
            value = cleaned[name]
        elif name in _REGISTRATION_DATES:
            value = today if name == "submitted_on" else None
        else:
            value = str(form.data.get(form.add_prefix(name), "") or "")
        if value is None and name not in _REGISTRATION_DATES:
            value = ""
        values[name] = value
    try:
        intake.registration_check(intake.Registration(**values), today)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            target = name if name in form.fields else None
            if target is not None and form.errors.get(target):
                continue  # already told about this field
            said = [str(e) for e in form.errors.get(target or "__all__") or []]
            for message in messages:
                if message not in said:
                    form.add_error(target, message)


class RegistrationForm(Form):
    organisation = forms.TypedChoiceField(
        label="收件机构",
        coerce=int,
        help_text="在社区居委会、村委会收到的申请，由其所属的街道办事处、乡镇人民政府受理",
    )
    channel = forms.ChoiceField(
        label="申请方式",
        choices=[("", "请选择")] + [(c.value, c.label) for c in IntakeChannel],
    )
    submitted_on = _date(
        "提交日期", required=True, help_text="申请人当面提交、寄出或发送的日期"
    )
    signed_for_on = _date("签收日期", help_text="邮寄（需签收）的申请：本机关签收之日")
    confirmed_on = _date(
        "确认日期", help_text="平常信函、传真、电子邮件、网络平台：双方确认之日"
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=[("", "请选择")] + [(t.value, t.label) for t in ApplicantType],
    )
    applicant_name = forms.CharField(
        label="申请人姓名/名称",
        max_length=INTAKE_MAX_LENGTHS["applicant_name"],
    )
    id_type = forms.ChoiceField(
        label="身份证明类型",
        choices=[("", "请选择")] + [(d.value, d.label) for d in IdDocumentType],
    )
    id_number = forms.CharField(
        label="证件号码",
        max_length=INTAKE_MAX_LENGTHS["id_number"],
    )
    legal_representative = forms.CharField(
        label="法定代表人/负责人",
        max_length=INTAKE_MAX_LENGTHS["legal_representative"],
        required=False,
    )
    contact_person = forms.CharField(
        label="联系人", max_length=INTAKE_MAX_LENGTHS["contact_person"], required=False
    )
    phone = forms.CharField(
        label="联系电话", max_length=INTAKE_MAX_LENGTHS["phone"], required=False
    )
    email = forms.CharField(
        label="电子邮箱", max_length=INTAKE_MAX_LENGTHS["email"], required=False
    )
    address = forms.CharField(
        label="通信地址", max_length=INTAKE_MAX_LENGTHS["address"], required=False
    )
    postcode = forms.CharField(
        label="邮政编码", max_length=INTAKE_MAX_LENGTHS["postcode"], required=False
    )
    description = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=INTAKE_MAX_LENGTHS["description"],
    )
    form = forms.ChoiceField(label="指定提供形式", choices=InfoRequest.Form.choices)
    delivery = forms.ChoiceField(
        label="获取信息方式", choices=InfoRequest.Delivery.choices
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Any],
        bodies: dict[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        bodies = bodies or {}

        def label(o: Any) -> str:
            body = bodies.get(o.pk)
            if o.is_disclosure_body or body is None:
                return str(o.tree_label)
            return f"{o.tree_label}（转交{body.label}受理）"

        _choices(self, "organisation", [(o.pk, label(o)) for o in organisations])
        self.fields["id_type"].widget.attrs["data-id-type"] = "1"

    # Which fieldset a field belongs to on the page (the template shows them in groups).
    INTAKE = (
        "organisation",
        "channel",
        "submitted_on",
        "signed_for_on",
        "confirmed_on",
    )
    APPLICANT = (
        "applicant_type",
        "applicant_name",
        "id_type",
        "id_number",
        "legal_representative",
        "contact_person",
    )
    CONTACT = ("phone", "email", "address", "postcode")
    REQUEST = ("description", "form", "delivery")

    def groups(self) -> list[tuple[str, list[Any]]]:
        return [
            ("收件", [self[n] for n in self.INTAKE]),
            ("申请人", [self[n] for n in self.APPLICANT]),
            ("联系方式（至少一种）", [self[n] for n in self.CONTACT]),
            ("申请内容", [self[n] for n in self.REQUEST]),
        ]


# --------------------------------------------------------------------------- list


class FilterForm(Form):
    # The due-soon label is built from the one threshold (core/workdays/urgency.py).
    URGENCY = [("", "全部"), *URGENCY_FILTERS]
    urgency = forms.ChoiceField(label="紧急程度", choices=URGENCY, required=False)
    status = forms.ChoiceField(
        label="办理状态",
        choices=[("", "未办结"), ("all", "全部")]
        + [(s.value, s.label) for s in Status],
        required=False,
    )
    handler = forms.ChoiceField(label="承办人", required=False)
    year = forms.IntegerField(
        label="年份", required=False, min_value=2000, max_value=2100
    )
    q = forms.CharField(label="申请编号", required=False, max_length=40)

    def __init__(
        self, *args: Any, handlers: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "handler", [("", "全部"), ("none", "未指定"), *handlers])


# --------------------------------------------------------------------------- actions


class ActionForm(Form):
    on = _date("日期", help_text="不填则为今天")


class ClarificationForm(ActionForm):
    deadline = _date("补正期限", required=True)
    what = forms.CharField(
        label="需要补正的事项",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LETTER_TEXT_MAX_LENGTH,
    )


class ExtendForm(ActionForm):
    working_days = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=MAX_EXTENSION_WORKING_DAYS,
        initial=MAX_EXTENSION_WORKING_DAYS,
        error_messages={
            "min_value": "延长的期限应为正整数个工作日。",
            "max_value": f"延长的期限最长不得超过{MAX_EXTENSION_WORKING_DAYS}个工作日"
            "（条例第三十三条第二款）。",
        },
    )
    reason = forms.CharField(
        label="延期理由", max_length=text_limit("extend", "reason")
    )


class ConsultationForm(ActionForm):
    party = forms.ChoiceField(
        label="征求对象",
        choices=[
            ("third_party", "第三方（条例第三十二条）"),
            ("other_agency", "其他行政机关（条例第三十四条）"),
        ],
    )
    name = forms.CharField(
        label="单位或个人名称", max_length=text_limit("start_consultation", "name")
    )
    reason = forms.CharField(
        label="征求意见的原因（第三方）",
        max_length=text_limit("start_consultation", "reason"),
        required=False,
        help_text="例如：涉及该公司的商业秘密",
    )
    delivered_on = _date(
        "对方收到征求意见书的日期",
        help_text="已知时填写；提出意见的15个工作日自该日起算（第三十二条、第三十四条）",
    )


class EndConsultationForm(ActionForm):
    ref = forms.ChoiceField(label="征求意见事项")
    opinion = forms.ChoiceField(
        label="对方意见",
        choices=[("", "请选择"), *ConsultationOpinion.LABELS.items()],
        error_messages={"required": "请选择对方的意见。"},
    )
    answer = forms.CharField(
        label="意见内容",
        max_length=text_limit("end_consultation", "answer"),
        required=False,
    )
    delivered_on = _date(
        "对方收到征求意见书的日期",
        help_text="发出时未填写的，请在此填写（逾期未提出意见须据此计算期限）",
    )

    def __init__(
        self, *args: Any, consultations: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "ref", [(c["ref"], c["name"]) for c in consultations])


class FeeForm(ActionForm):
    method = forms.ChoiceField(
        label="计费方式",
        choices=[("per_volume", "按量计收（页）"), ("per_piece", "按件计收（件）")],
    )
    pages = forms.IntegerField(
        label="页数（按量）", min_value=0, max_value=MAX_PAGES, required=False
    )
    pieces = forms.IntegerField(
        label="本申请件数（按件）",
        min_value=1,
        max_value=MAX_PIECES,
        required=False,
        help_text="本月此前的件数由系统按该申请人的申请记录计算",
    )
    delivered_on = _date("通知送达日期", help_text="不填则与发出日期相同")
    payment_method = forms.CharField(
        label="缴费方式",
        max_length=text_limit("issue_fee_notice", "payment_method"),
        required=False,
    )


# The reply fields staff may have to fill (every outcome's, minus the case's own facts).
_REPLY_FIELDS = {
    f
    for key, fields in TEMPLATE_FIELDS.items()
    if key.startswith("reply.")
    for f in fields
}
DETAIL_FIELDS = [
    n
    for n in FIELD_LABELS
    if n in _REPLY_FIELDS and n not in CASE_FIELDS and n not in AUTOMATIC_FIELDS
]
# Asked only in some decisions: the legal ground of a 部分公开's withheld part
# (第三十七条) and the reasons told to a third party that objected (第三十二条).
EXTRA_DETAIL_FIELDS = ["withheld_ground", "disclosure_reason"]


class DecisionForm(ActionForm):
    outcome = forms.ChoiceField(label="办理结果")
    variant = forms.ChoiceField(
        label="答复方式",
        required=False,
        choices=[
            ("default", "一般"),
            (
                ReplyVariant.ALREADY_PUBLIC.value,
                "已主动公开（第三十六条第（一）项，仅予以公开）",
            ),
            (
                ReplyVariant.NOT_RESPONSIBLE.value,
                "不属于本机关负责公开（第三十六条第（五）项，仅本机关不掌握）",
            ),
        ],
    )
    note = forms.CharField(
        label="理由/说明",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=LETTER_TEXT_MAX_LENGTH,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "outcome", outcome_choices())
        for name in DETAIL_FIELDS:
            self.fields[f"detail_{name}"] = forms.CharField(
                label=FIELD_LABELS[name], max_length=DETAIL_MAX_LENGTH, required=False
            )
        self.fields["detail_withheld_ground"] = forms.ChoiceField(
            label="不予公开部分的法律依据（部分公开）",
            required=False,
            choices=[
                ("", "请选择"),
                *(
                    (o.value, f"{o.label}（{o.legal_basis}）")
                    for o in PARTIAL_WITHHELD_GROUNDS
                ),
            ],
        )
        self.fields["detail_disclosure_reason"] = forms.CharField(
            label="决定公开的理由（第三方不同意公开时，书面告知第三方）",
            max_length=DETAIL_MAX_LENGTH,
            required=False,
        )

    def details(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"detail_{name}", "")
            for name in [*DETAIL_FIELDS, *EXTRA_DETAIL_FIELDS]
            if self.cleaned_data.get(f"detail_{name}")
        }

    def detail_fields(self) -> list[Any]:
        return [
            self[f"detail_{name}"] for name in [*EXTRA_DETAIL_FIELDS, *DETAIL_FIELDS]
        ]


DELIVERY_METHODS = [
    ("直接送达", "直接送达"),
    ("邮寄送达", "邮寄送达"),
    ("电子送达", "电子送达（电子邮件、网上）"),
    ("留置送达", "留置送达"),
    ("公告送达", "公告送达"),
]


class SendReplyForm(ActionForm):
    delivery_method = forms.ChoiceField(
        label="送达方式",
        required=False,
        choices=[("", "（稍后在文书中登记）"), *DELIVERY_METHODS],
        help_text="填写后，答复告知书的送达情况一并登记",
    )
    tracking = forms.CharField(
        label="邮件单号",
        max_length=text_limit("send_reply", "tracking"),
        required=False,
    )


class WithdrawForm(ActionForm):
    note = forms.CharField(
        label="说明", max_length=text_limit("withdraw", "note"), required=False
    )


class ReasonsForm(ActionForm):
    reasons_due = _date("说明理由的期限", required=True)


class DelayForm(ActionForm):
    new_due = _date("延迟答复的期限", required=True)
    reason = forms.CharField(
        label="延迟答复的理由", max_length=text_limit("agree_delay", "reason")
    )


class ExcessiveForm(ActionForm):
    note = forms.CharField(
        label="不予处理的理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LETTER_TEXT_MAX_LENGTH,
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label="理由", max_length=text_limit("revise_decision", "reason")
    )


class ReopenForm(ActionForm):
    """依复议决定或判决重新办理 (行政复议法第六十四条, 行政诉讼法第七十条)."""

    decided_on = _date("复议决定或判决的作出日期", required=True)
    delivered_on = _date(
        "决定或判决送达本机关的日期",
        required=True,
        help_text="重新答复期限自此日起算",
    )
    period_working_days = forms.IntegerField(
        label="重新答复期限（工作日）",
        required=False,
        min_value=1,
        help_text="决定或判决未写明期限的留空，按20个工作日计算",
        error_messages={"min_value": "重新答复期限应为正整数个工作日。"},
    )
    appeal_ref = forms.CharField(
        label="复议决定书或判决书文号",
        max_length=text_limit("reopen", "appeal_ref"),
        required=False,
    )


ACTION_FORMS: dict[Action, type[forms.Form]] = {
    Action.ASK_REASONS: ReasonsForm,
    Action.AGREE_DELAY: DelayForm,
    Action.REJECT_AS_EXCESSIVE: ExcessiveForm,
    Action.WAIVE_FEE: ReasonForm,
    Action.REVISE_DECISION: ReasonForm,
    Action.REQUEST_CLARIFICATION: ClarificationForm,
    Action.EXTEND: ExtendForm,
    Action.START_CONSULTATION: ConsultationForm,
    Action.END_CONSULTATION: EndConsultationForm,
    Action.ISSUE_FEE_NOTICE: FeeForm,
    Action.DECIDE: DecisionForm,
    Action.ANSWER_ON_THE_SPOT: DecisionForm,
    Action.SEND_REPLY: SendReplyForm,
    Action.WITHDRAW: WithdrawForm,
    Action.REOPEN: ReopenForm,
}


def action_form_class(action: Action) -> type[forms.Form]:
    return ACTION_FORMS.get(action, ActionForm)


def backdate(form: forms.Form, *, help_text: str) -> forms.Form:
    """A step that may no longer be taken today, only recorded as taken on an earlier
    day (补录): its date is asked, never defaulted to today (which its rule refuses),
    and the field says the last lawful day and the rule (``StepDays.help_text``).
    No ``max`` on the input: a later date is refused by the server in the rule's own
    words (the article, the last day), not by the browser in its words."""
    field = form.fields["on"]
    field.required = True
    field.label = "办理日期（补录）"
    field.help_text = help_text
    return form


def action_data(form: forms.Form) -> dict[str, Any]:
    """The cleaned values in the shape ``letters.perform`` takes."""
    data = dict(form.cleaned_data)
    if isinstance(form, DecisionForm):
        data = {k: v for k, v in data.items() if not k.startswith("detail_")}
        data["details"] = form.details()
    return data


class AssignForm(Form):
    handler = forms.ChoiceField(label="承办人", required=False)

    def __init__(
        self, *args: Any, handlers: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "handler", [("", "（不指定）"), *handlers])


class DeliveryForm(Form):
    method = forms.ChoiceField(label="送达方式", choices=DELIVERY_METHODS)
    tracking = forms.CharField(
        label="邮件单号",
        max_length=text_limit("letter_delivery", "tracking"),
        required=False,
    )
    delivered_on = _date("送达日期")
    failed = forms.BooleanField(label="送达失败", required=False)


class RevealForm(Form):
    field = forms.ChoiceField(
        choices=[
            ("id_number", "证件号码"),
            ("phone", "联系电话"),
            ("email", "电子邮箱"),
            ("address", "通信地址"),
        ]
    )


# --------------------------------------------------------------------------- 转办、协办


class TransferForm(Form):
    to_organisation = forms.ChoiceField(label="接收机关")
    reason = forms.CharField(
        label="转办理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不属于本机关负责公开的理由；对方接收后写入告知书（第三十六条第（五）项）。",
        error_messages={"required": "请说明转办理由。"},
        max_length=LETTER_TEXT_MAX_LENGTH,
    )
    on = _date("提出日期")

    def __init__(
        self, *args: Any, bodies: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_organisation"]
        assert isinstance(field, forms.ChoiceField)
        # Any id is accepted here: the service refuses one off the platform in Chinese.
        field.choices = [("", "（请选择）"), *bodies]
        field.validators = []
        field.valid_value = lambda value: True  # type: ignore[method-assign]


class DeclineForm(Form):
    reason = forms.CharField(
        label="不接收的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LETTER_TEXT_MAX_LENGTH,
        # The service's own wording.
        error_messages={"required": "请说明不接收的理由。"},
    )


class AssistanceForm(Form):
    organisation = forms.ChoiceField(label="协办机关")
    question = forms.CharField(
        label="协办事项",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请写明需要协办的事项。"},
        max_length=LETTER_TEXT_MAX_LENGTH,
    )
    due_on = _date("请求回复期限")

    def __init__(
        self, *args: Any, bodies: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "（请选择）"), *bodies]
        field.valid_value = lambda value: True  # type: ignore[method-assign]


class AssistanceAnswerForm(Form):
    answer = forms.CharField(
        label="协办回复",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX_LENGTH,
    )
