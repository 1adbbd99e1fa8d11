"""The 公开目录 screen names a template's sources as a reader would (the documents'
titles), never a path in the repository (../shared/spec/…, seeds, *.md); the
provenance stays in the TOML's comments."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gongkai.backoffice.tests.crawl import visible_text
from gongkai.core.catalogue_templates import templates

pytestmark = pytest.mark.django_db

REPO_PATH = re.compile(r"\.\./|shared/|seeds|\.md\b|\.toml\b")


@pytest.mark.parametrize("key", sorted(templates()), ids=lambda key: f"template-{key}")
def test_the_catalogue_screen_shows_no_repository_path(
    tree: Any, client: Any, key: str
) -> None:
    from gongkai.orgs.services import organisation_update

    tpl = templates()[key]
    organisation_update(
        actor=tree.sysadmin, organisation=tree.street, kind=tpl.kinds[0]
    )
    client.force_login(tree.officer)
    text = visible_text(client.get("/office/publishing/catalogue/").content.decode())
    assert tpl.name in text
    assert "依据：" in text and "《国务院办公厅关于全面推进基层政务公开" in text
    assert not REPO_PATH.search(text), REPO_PATH.search(text)
