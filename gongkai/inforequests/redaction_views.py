"""The 区分处理 screens (部分公开, 条例第三十七条): upload the document, mark what to
withhold (a phrase, or a region dragged on a page image), produce and download the
redacted copy. Thin: each view binds a form and calls one service of
``inforequests.redaction``."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.redaction import RedactionEntry
from gongkai.inforequests import redaction as service
from gongkai.inforequests.models import InfoRequest, RedactionDocument, RedactionMark
from gongkai.inforequests.redaction_forms import (
    RedactionUploadForm,
    RegionMarkForm,
    TextMarkForm,
)
from gongkai.orgs.permissions import Perm, get_scoped_or_404
from gongkai.security.uploads import private_file_response


def _case(request: HttpRequest, pk: int) -> InfoRequest:
    return get_scoped_or_404(
        InfoRequest.objects.select_related("organisation"),
        request.user,
        Perm.VIEW,
        via="organisation",
        pk=pk,
    )


def _document(request: HttpRequest, pk: int, rid: int) -> RedactionDocument:
    return get_scoped_or_404(
        RedactionDocument.objects.select_related("request__organisation"),
        request.user,
        Perm.VIEW,
        via="request__organisation",
        pk=rid,
        request_id=pk,
    )


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _page(
    request: HttpRequest,
    document: RedactionDocument,
    *,
    text_form: TextMarkForm | None = None,
    region_form: RegionMarkForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    marks = list(document.marks.order_by("created_at", "id"))
    context: dict[str, Any] = {
        "case": document.request,
        "document": document,
        "marks": marks,
        "regions": [m for m in marks if m.kind == RedactionMark.Kind.REGION],
        "page_numbers": range(1, (document.pages or 0) + 1),
        "text_form": text_form or TextMarkForm(),
        "region_form": region_form or RegionMarkForm(),
        "errors": errors or [],
        "editable": document.request.status in service.EDITABLE_STATUSES,
        "entries": [
            RedactionEntry(
                service.public_name(document), m.description, m.ground, m.other_basis
            )
            for m in marks
        ]
        if document.output
        else [],
    }
    return render(request, "inforequests/redaction.html", context, status=status)


@login_required
@require_POST
def redaction_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = RedactionUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("inforequests:detail", pk=case.pk)
    try:
        document = service.redaction_upload(
            actor=request.user, request=case, upload=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        for message in _messages(exc):
            messages.error(request, f"区分处理文件未上传：{message}")
        return redirect("inforequests:detail", pk=case.pk)
    messages.success(request, "文件已上传，请标注要删除的内容。")
    return redirect("inforequests:redaction", pk=case.pk, rid=document.pk)


@login_required
def redaction_page(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    document = _document(request, pk, rid)
    service.redaction_page_opened(actor=request.user, document=document)
    return _page(request, document)


@login_required
def redaction_page_image(
    request: HttpRequest, pk: int, rid: int, page: int
) -> HttpResponse:
    document = _document(request, pk, rid)
    try:
        png = service.redaction_page_image(
            actor=request.user, document=document, page=page
        )
    except ValidationError as exc:
        return HttpResponse(
            "；".join(_messages(exc)),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def redaction_mark(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    document = _document(request, pk, rid)
    kind = request.POST.get("kind", "")
    is_region = kind == RedactionMark.Kind.REGION
    form: TextMarkForm | RegionMarkForm = (
        RegionMarkForm(request.POST) if is_region else TextMarkForm(request.POST)
    )
    bound = {"region_form" if is_region else "text_form": form}
    if not form.is_valid():
        return _page(request, document, status=400, **bound)  # type: ignore[arg-type]
    data = form.cleaned_data
    try:
        row = service.redaction_add_mark(
            actor=request.user,
            document=document,
            kind=RedactionMark.Kind.REGION if is_region else RedactionMark.Kind.TEXT,
            ground=data["ground"],
            other_basis=data.get("other_basis", ""),
            phrase=data.get("phrase", ""),
            occurrence=data.get("occurrence"),
            page=data.get("page"),
            box=(data["x0"], data["y0"], data["x1"], data["y1"]) if is_region else None,
        )
    except ValidationError as exc:
        return _page(
            request,
            document,
            errors=_messages(exc),
            status=400,
            **bound,  # type: ignore[arg-type]
        )
    messages.success(
        request,
        f"已添加标注：{row.description}。标注完成后请点击“生成区分处理文件”。",
    )
    return redirect("inforequests:redaction", pk=pk, rid=rid)


@login_required
@require_POST
def redaction_unmark(request: HttpRequest, pk: int, rid: int, mid: int) -> HttpResponse:
    document = _document(request, pk, rid)
    mark = document.marks.filter(pk=mid).first()
    if mark is None:
        messages.error(request, "该标注已不存在。")
        return redirect("inforequests:redaction", pk=pk, rid=rid)
    try:
        service.redaction_remove_mark(actor=request.user, mark=mark)
        messages.success(request, "已删除标注。")
    except ValidationError as exc:
        for message in _messages(exc):
            messages.error(request, message)
    return redirect("inforequests:redaction", pk=pk, rid=rid)


@login_required
@require_POST
def redaction_produce(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    document = _document(request, pk, rid)
    try:
        service.redaction_produce(actor=request.user, document=document)
    except ValidationError as exc:
        document.refresh_from_db()
        return _page(request, document, errors=_messages(exc), status=400)
    messages.success(
        request,
        "区分处理文件已生成，并已核验：从生成的文件中提取不到被删除的内容。",
    )
    return redirect("inforequests:redaction", pk=pk, rid=rid)


@login_required
def redaction_download(
    request: HttpRequest, pk: int, rid: int, which: str
) -> HttpResponse | FileResponse:
    document = _document(request, pk, rid)
    if which not in ("original", "output"):
        raise Http404
    try:
        if which == "original":
            data = service.redaction_original(actor=request.user, document=document)
            return private_file_response(
                io.BytesIO(data), filename=document.original_name, kind=document.kind
            )
        fileobj = service.redaction_output(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, "；".join(_messages(exc)))
        return redirect("inforequests:redaction", pk=pk, rid=rid)
    return private_file_response(
        fileobj,
        filename=service.public_name(document, document.output_name),
        kind=document.kind,
    )
