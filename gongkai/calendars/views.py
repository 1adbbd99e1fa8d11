"""Calendar years for the 系统管理员: sources, provisional years, notice import with preview."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.calendars.selectors import calendar_year_overview
from gongkai.calendars.services import calendar_notice_preview, calendar_year_save
from gongkai.core.workdays.calendar import MAX_YEAR, MIN_YEAR
from gongkai.formbase import Form
from gongkai.orgs.permissions import Perm, organisations_for

SOURCE_LABELS = {
    "admin": "管理员录入",
    "chinesecalendar": "内置数据（chinesecalendar）",
    "provisional": "临时推算",
}


def _require_calendar_admin(request: HttpRequest) -> None:
    # The schedule is national and shared by every body on the platform, so only
    # a 系统管理员 of a root organisation may change it.
    if not organisations_for(request.user, Perm.MANAGE_ORGS).filter(depth=0).exists():
        raise PermissionDenied("只有顶级机构的系统管理员可以维护节假日安排。")


class NoticeForm(Form):
    year = forms.IntegerField(
        label="年份",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "required": "请填写年份。",
            "invalid": "年份应为整数。",
            "min_value": f"年份不能早于 {MIN_YEAR}。",
            "max_value": f"年份不能晚于 {MAX_YEAR}。",
        },
    )
    text = forms.CharField(
        label="通知全文",
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "请粘贴通知全文。"},
    )


@login_required
def calendar_index(request: HttpRequest) -> HttpResponse:
    _require_calendar_admin(request)
    this_year = timezone.localdate().year
    years = calendar_year_overview(range(this_year - 3, this_year + 3))
    rows = [
        {
            "year": cy,
            "source": SOURCE_LABELS.get(cy.source, cy.source),
            "holidays": sorted(cy.holidays),
            "workdays": sorted(cy.extra_workdays),
        }
        for cy in years
    ]
    return render(
        request,
        "calendars/index.html",
        {"rows": rows, "form": NoticeForm(initial={"year": this_year + 1})},
    )


@login_required
def calendar_import(request: HttpRequest) -> HttpResponse:
    """Step 1 (preview) and step 2 (confirm) of importing a notice."""
    _require_calendar_admin(request)
    form = NoticeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "calendars/import.html", {"form": form})
    year, text = form.cleaned_data["year"], form.cleaned_data["text"]
    try:
        parsed = calendar_notice_preview(year=year, text=text)
    except ValidationError as exc:
        form.add_error("text", exc.messages[0])
        return render(request, "calendars/import.html", {"form": form})
    if request.POST.get("confirm") == "1":
        calendar_year_save(
            actor=request.user,
            calendar_year=parsed.to_calendar_year(),
            notice_text=text,
        )
        messages.success(
            request, f"{year}年节假日安排已保存，未办结申请的答复期限已重新计算。"
        )
        return redirect("calendars:index")
    return render(request, "calendars/import.html", {"form": form, "parsed": parsed})
