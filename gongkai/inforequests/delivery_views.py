"""Back-office screens of the applicant's side: the files disclosed with the reply
(电子送达) and the messages sent to the applicant (docs/applications.md §10)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gongkai.audit.services import audit_record
from gongkai.inforequests.delivery import released_file_add
from gongkai.inforequests.models import InfoRequest, ReleasedFile
from gongkai.orgs.permissions import Perm, get_scoped_or_404
from gongkai.security.files import open_private_file
from gongkai.security.uploads import private_file_response


@login_required
@require_POST
def released_file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_scoped_or_404(
        InfoRequest.objects.select_related("organisation"),
        request.user,
        Perm.VIEW,
        pk=pk,
    )
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要公开的文件。")
    else:
        try:
            released_file_add(actor=request.user, request=case, upload=upload)
            messages.success(request, "公开文件已添加，答复送出后申请人可在线下载。")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return redirect("inforequests:detail", pk=case.pk)


@login_required
def released_file_download(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    item = get_scoped_or_404(
        ReleasedFile.objects.select_related("request__organisation"),
        request.user,
        Perm.VIEW,
        via="request__organisation",
        pk=file_id,
        request_id=pk,
    )
    audit_record(
        action="inforequest.released_file.download",
        actor=request.user,
        organisation=item.request.organisation,
        obj=item.request,
        details={"file": item.pk},
    )
    return private_file_response(
        open_private_file(item.file), filename=item.original_name, kind=item.kind
    )
