"""Forms of the publishing screens. They only bind and validate input; every write
goes through a service, whose ValidationErrors are shown on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django_prose_editor.widgets import ProseEditorWidget

from gongkai.formbase import Form, ModelForm
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import (
    CatalogueArea,
    CatalogueItem,
    EnforcementDecision,
    NormativeDocument,
    Publication,
)
from gongkai.publishing.reference import CATALOGUE_CHANNELS, Channel, topic_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The longest free text of a reason or note (不予公开理由, 审核意见, 修改意见, 撤回理由)
# and of a catalogue item's 公开内容/公开依据 (issue 17, requirement 9): longer input
# is refused in Chinese naming the field and both counts (gongkai/formbase.py).
REASON_MAX_LENGTH = 1000
CATALOGUE_TEXT_MAX_LENGTH = 2000


def _long_text(
    label: str, limit: int, *, required: bool = True, **kw: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": 2}),
        **kw,
    )


# 正文 editor (django-prose-editor, a maintained ProseMirror/Tiptap widget; we do not
# write an editor ourselves). Only what the body's nh3 allow-list keeps
# (``publishing.content.ALLOWED_TAGS``): paragraphs, lists, tables, links and simple
# marks. Without JavaScript it is a plain textarea: each line becomes a paragraph.
BODY_EDITOR_EXTENSIONS: dict[str, Any] = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "ListItem": True,
    "History": True,
}


class PublicationForm(ModelForm):
    index_no = forms.CharField(
        label="索引号",
        required=False,
        max_length=60,
        help_text="留空则按本机构的索引号规则自动生成。",
    )
    topic = forms.ChoiceField(label="主题分类", choices=topic_choices, required=False)
    media_url = forms.URLField(
        label="音视频链接",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="音视频解读：填写音频或视频的发布地址（http:// 或 https:// 开头）。",
    )
    changed_on = forms.DateField(
        label="信息变更日期",
        required=False,
        widget=DATE,
        help_text="已公开信息的内容发生变更的日期（条例第二十六条：自变更之日起20个工作日内公开）；"
        "留空则按今天计。",
    )
    channels = forms.MultipleChoiceField(
        label="发布渠道",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="留空则按目录事项的公开渠道确定。",
    )
    withhold_reason = _long_text("不予公开理由", REASON_MAX_LENGTH, required=False)

    class Meta:
        model = Publication
        fields = [
            "title",
            "summary",
            "body",
            "issuing_body",
            "formed_on",
            "document_number",
            "topic",
            "genre",
            "catalogue_item",
            "art20",
            "attribute",
            "withhold_reason",
            "validity",
            "valid_from",
            "expired_on",
            "repealed_on",
            "interprets",
            "interpretation_form",
            "media_url",
            "channels",
        ]
        widgets = {
            "formed_on": DATE,
            "valid_from": DATE,
            "expired_on": DATE,
            "repealed_on": DATE,
            "body": ProseEditorWidget(
                attrs={"rows": 12},
                preset="configurable",
                config={"extensions": BODY_EDITOR_EXTENSIONS},
            ),
        }
        help_texts = {
            "body": "可使用段落、列表、表格和链接；脚本、样式等不安全内容会被自动清除。",
            "issuing_body": "留空则为本机构全称。",
        }

    def __init__(
        self, *args: Any, organisation: Organisation, creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_body"].required = False
        self.fields["catalogue_item"].queryset = CatalogueItem.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        )
        # 政策解读 (issue 21): only this body's documents, never another 解读.
        interprets = Publication.objects.filter(organisation=organisation).exclude(
            genre="interpretation"
        )
        if self.instance.pk:
            interprets = interprets.exclude(pk=self.instance.pk)
        self.fields["interprets"].queryset = interprets  # type: ignore[attr-defined]
        if not creating:
            del self.fields["index_no"]
        if creating or not self.instance.is_live:
            del self.fields["changed_on"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("index_no", None)
        data.pop("changed_on", None)
        data["channels"] = list(data.get("channels") or [])
        data["summary"] = data.get("summary") or ""
        data["issuing_body"] = data.get("issuing_body") or ""
        return data


class ApproveForm(Form):
    secrecy_checked = forms.BooleanField(
        label="已完成保密审查，公开属性无误", required=False
    )
    attribute = forms.ChoiceField(
        label="公开属性", choices=Publication.Attribute.choices, required=False
    )
    withhold_reason = _long_text(
        "不予公开理由及依据", REASON_MAX_LENGTH, required=False
    )
    note = _long_text("审核意见", REASON_MAX_LENGTH, required=False)


class NoteForm(Form):
    # The service's own wording when the note is missing.
    note = _long_text(
        "修改意见",
        REASON_MAX_LENGTH,
        error_messages={"required": "退回时请写明修改意见。"},
    )


class ReasonForm(Form):
    reason = _long_text(
        "撤回理由",
        REASON_MAX_LENGTH,
        error_messages={"required": "撤回时请写明理由。"},
    )


class ScheduleForm(Form):
    go_live_at = forms.DateTimeField(
        label="发布时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class AttachmentForm(Form):
    file = forms.FileField(label="附件")


class CatalogueItemForm(ModelForm):
    channels = forms.MultipleChoiceField(
        label="公开渠道和载体",
        choices=[(c, c) for c in CATALOGUE_CHANNELS],
        widget=forms.CheckboxSelectMultiple,
    )
    content = _long_text("公开内容（要素）", CATALOGUE_TEXT_MAX_LENGTH)
    basis = _long_text("公开依据", CATALOGUE_TEXT_MAX_LENGTH)

    class Meta:
        model = CatalogueItem
        fields = [
            "item_l1",
            "item_l2",
            "content",
            "basis",
            "time_limit_text",
            "time_limit_days",
            "subjects",
            "channels",
            "audience_public",
            "audience_specific",
            "mode_proactive",
            "mode_on_request",
            "level_county",
            "level_township",
            "update_period_days",
            "art20",
            "is_active",
        ]


class CatalogueItemCreateForm(CatalogueItemForm):
    area = forms.ModelChoiceField(label="领域", queryset=CatalogueArea.objects.none())

    class Meta(CatalogueItemForm.Meta):
        fields = ["area", *CatalogueItemForm.Meta.fields]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = CatalogueArea.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )


class NormativeDocumentForm(ModelForm):
    class Meta:
        model = NormativeDocument
        fields = ["kind", "title", "document_number", "issued_on"]
        widgets = {"issued_on": DATE}


class NormativeEndForm(Form):
    how = forms.ChoiceField(
        label="情形", choices=[("repealed", "废止"), ("expired", "失效")]
    )
    on = forms.DateField(label="日期", widget=DATE)


class DecisionForm(ModelForm):
    class Meta:
        model = EnforcementDecision
        fields = ["kind", "decided_on", "document_number", "party", "summary"]
        widgets = {"decided_on": DATE}


class ImportForm(Form):
    file = forms.FileField(
        label="导入文件（.csv 或 .xlsx）",
        help_text="第一行为表头：类别、决定日期、决定文号、当事人、事由。",
    )


class FeeForm(Form):
    item = forms.CharField(label="收费项目", max_length=100)
    basis = forms.CharField(label="收费依据", max_length=200, required=False)
    collected_on = forms.DateField(label="收费日期", widget=DATE)
    amount_wan = forms.CharField(label="金额（万元，最多4位小数）", max_length=20)
