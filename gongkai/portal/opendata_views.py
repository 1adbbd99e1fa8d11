"""数据下载 in a body's public column (issue 21, requirement 5): the list of files
with their fields and licence, each file, and the schema (``datapackage.json``)."""

from __future__ import annotations

import json
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.portal.cache import cached_portal_page
from gongkai.portal.opendata import (
    DATASETS,
    FORMATS,
    LICENCE_TEXT,
    datapackage,
    open_data_file,
)
from gongkai.portal.selectors import portal_organisation
from gongkai.portal.views import _context

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


@cached_portal_page
def open_data(request: HttpRequest, org_id: int) -> HttpResponse:
    org = portal_organisation(org_id)
    return render(
        request,
        "portal/open_data.html",
        _context(
            request,
            org,
            datasets=DATASETS.values(),
            formats=FORMATS,
            licence=LICENCE_TEXT.format(org=org.name),
        ),
    )


def open_data_file_view(
    request: HttpRequest, org_id: int, name: str, fmt: str
) -> HttpResponse:
    org = portal_organisation(org_id)
    try:
        data, version = open_data_file(org, name, fmt)
    except KeyError:
        raise Http404("没有这个数据文件。") from None
    etag = f'"{org.pk}-{name}-{fmt}-{version}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = f"{org.name}-{DATASETS[name].title}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["ETag"] = etag
    return response


def open_data_schema(request: HttpRequest, org_id: int) -> HttpResponse:
    org = portal_organisation(org_id)
    body = json.dumps(datapackage(org), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
