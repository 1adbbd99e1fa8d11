"""Issue 21, requirement 5: 数据下载 — a body's published items, catalogue and annual
reports in JSON and CSV with a schema and a licence, regenerated when content changes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from gongkai.portal import opendata
from gongkai.publishing import services as pub_services
from gongkai.publishing.tests.factories import make_live, make_publication

pytestmark = pytest.mark.django_db


def _get(client, org, name, fmt):
    url = reverse("portal:open_data_file", args=[org.pk, name, fmt])
    return client.get(url)


def test_the_column_offers_the_downloads_with_schema_and_licence(
    client, tree, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pub_services.catalogue_load_template(actor=None, organisation=tree.street)
        live = make_live(tree.street, tree.officer, tree.head, title="低保标准调整公告")
        make_publication(tree.street, tree.officer, title="尚未公开的草稿")

    column = client.get(reverse("portal:column", args=[tree.street.pk])).content
    assert reverse("portal:open_data", args=[tree.street.pk]).encode() in column
    assert "数据下载" in column.decode()
    page = client.get(reverse("portal:open_data", args=[tree.street.pk])).content
    assert "免费下载" in page.decode()

    doc = _get(client, tree.street, "publications", "json").json()
    assert [r["title"] for r in doc["rows"]] == ["低保标准调整公告"]  # no drafts
    assert tree.street.name in doc["licence"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                _get(client, tree.street, "publications", "csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert [r["title"] for r in rows] == ["低保标准调整公告"]
    assert rows[0]["index_no"] == live.index_no
    catalogue = _get(client, tree.street, "catalogue", "json").json()["rows"]
    assert len(catalogue) == 18 + 4
    schema = client.get(
        reverse("portal:open_data_schema", args=[tree.street.pk])
    ).json()
    assert "免费下载" in schema["licence_statement"]
    names = {r["name"] for r in schema["resources"]}
    assert names == {
        f"{d}-{f}"
        for d in ("publications", "catalogue", "reports")
        for f in ("json", "csv")
    }
    pub_fields = next(r for r in schema["resources"] if r["name"] == "publications-csv")
    assert [f["name"] for f in pub_fields["schema"]["fields"]] == list(rows[0])


def test_a_download_is_served_from_the_cache_until_the_content_changes(
    client, tree, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        live = make_live(tree.street, tree.officer, tree.head, title="旧标题")
    built = []
    real = opendata._render
    monkeypatch.setattr(
        opendata, "_render", lambda *a: built.append(a[1].name) or real(*a)
    )
    first = _get(client, tree.street, "publications", "json")
    again = _get(client, tree.street, "publications", "json")
    assert first.content == again.content and built == ["publications"]
    assert (
        client.get(
            reverse(
                "portal:open_data_file", args=[tree.street.pk, "publications", "json"]
            ),
            HTTP_IF_NONE_MATCH=first["ETag"],
        ).status_code
        == 304
    )

    with django_capture_on_commit_callbacks(execute=True):
        pub_services.publication_update(
            actor=tree.officer, publication=live, title="新标题"
        )
    changed = json.loads(_get(client, tree.street, "publications", "json").content)
    assert [r["title"] for r in changed["rows"]] == ["新标题"]
    assert built == ["publications", "publications"]


def test_unknown_files_are_404_not_500(client, tree) -> None:
    for name, fmt in (("secrets", "json"), ("publications", "xml")):
        assert _get(client, tree.street, name, fmt).status_code == 404
    assert client.get("/gk/999999/data/").status_code == 404
