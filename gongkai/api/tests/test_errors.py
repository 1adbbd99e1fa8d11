"""Issue 18 F9: bounded list parameters, and JSON {"detail": "…"} errors under /api/."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.api.core import SERVER_ERROR, api

pytestmark = pytest.mark.django_db


def _is_json_detail(response) -> str:
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


@pytest.mark.parametrize(
    "query",
    [
        "offset=9223372036854775808",
        "offset=-1",
        "limit=0",
        "limit=201",
        "limit=99999999999999999999999",
        "year=9223372036854775808",
        "organisation_id=9223372036854775808",
        "offset=abc",
    ],
)
def test_out_of_range_list_parameters_are_a_422_in_json(client, tree, query):
    client.force_login(tree.officer)
    response = client.get(f"/api/requests/?{query}")
    assert response.status_code == 422
    assert "请求数据格式不正确" in _is_json_detail(response)


def test_a_schema_error_is_told_in_chinese_field_by_field(client, tree):
    """pydantic's own messages ("Field required") are English: each error is said
    in Chinese beside its field, in ``detail`` and in ``errors``."""
    client.force_login(tree.officer)
    response = client.get("/api/requests/?limit=abc&year=9223372036854775808")
    assert response.status_code == 422
    body = response.json()
    assert "limit须为整数" in body["detail"]
    assert "year须不大于9999" in body["detail"]  # the limit itself is said
    for error in body["errors"]:
        assert set(error) == {"field", "msg", "type"}
        assert all("\u4e00" <= ch <= "\u9fff" for ch in error["msg"][:1])
        assert not any(c.isascii() and c.isalpha() for c in error["msg"].split("（")[0])


def test_an_unknown_status_or_urgency_is_refused_not_answered_empty(client, tree):
    client.force_login(tree.officer)
    for query, words in (
        ("status=zzz", "不是可选的办理状态"),
        ("urgency=x", "期限状态"),
    ):
        response = client.get(f"/api/requests/?{query}")
        assert response.status_code == 422, query
        assert words in response.json()["detail"]
    assert client.get("/api/requests/?status=all&urgency=overdue").status_code == 200


def test_a_body_that_is_not_json_is_told_so_in_chinese(client, tree):
    client.force_login(tree.officer)
    response = client.post(
        "/api/requests/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert _is_json_detail(response) == "请求正文不是有效的 JSON，或格式不正确。"


def test_a_write_without_the_csrf_token_is_told_why_in_chinese(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tree.officer)
    response = client.post("/api/requests/", "{}", content_type="application/json")
    assert response.status_code == 403
    assert "CSRF 令牌" in _is_json_detail(response)


def test_the_bounds_themselves_are_accepted(client, tree):
    client.force_login(tree.officer)
    response = client.get("/api/requests/?limit=200&offset=1000000000&year=2026")
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_an_unknown_api_path_is_a_404_in_json(client, tree):
    client.force_login(tree.officer)
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert _is_json_detail(response) == "未找到。"
    # elsewhere the HTML page is kept
    page = client.get("/gk/no-such-thing/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_a_body_over_the_limit_is_a_413_in_json(client, tree, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(tree.officer)
    response = client.post(
        "/api/requests/",
        {"description": "x" * 5000},
        content_type="application/json",
    )
    assert response.status_code == 413
    assert _is_json_detail(response) == "请求内容过大。"


def test_an_unhandled_error_is_a_500_in_json(tree, monkeypatch):
    from gongkai.inforequests import api as requests_api

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(requests_api, "inforequest_list_filtered", boom)
    client = Client(raise_request_exception=False)
    client.force_login(tree.officer)
    response = client.get("/api/requests/")
    assert response.status_code == 500
    assert _is_json_detail(response) == SERVER_ERROR
    assert "boom" not in response.content.decode()
    # an error raised inside an operation that the API does not handle still
    # propagates (transaction rolled back, logged) before it is answered
    assert RuntimeError not in api._exception_handlers
