"""Issue 21, requirement 6: an OA system with a bearer token creates a draft item with
its 公开属性 and reads the catalogue; a revoked, expired or unknown token (or one of a
deactivated service account) gets a 401 in Chinese that never echoes the token, a
token without the endpoint's scope a 403 insufficient_scope; every step is audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import ApiToken
from gongkai.orgs.services import api_token_create, api_token_revoke
from gongkai.publishing.models import Publication
from gongkai.publishing.services import catalogue_load_template

pytestmark = pytest.mark.django_db

DRAFT = {
    "title": "关于调整城乡居民医保缴费标准的通知",
    "formed_on": "2026-03-02",
    "body": "<p>正文</p>",
    "attribute": "on_request",
}


def _post(client, token: str, org_id: int, **extra):
    return client.post(
        "/api/publishing/publications",
        json.dumps({**DRAFT, "organisation_id": org_id, **extra}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _token(tree, *scopes: str, **kwargs):
    scopes = scopes or (ApiToken.Scope.DRAFT_CREATE, ApiToken.Scope.CATALOGUE_READ)
    return api_token_create(
        actor=tree.sysadmin,
        organisation=tree.street,
        name="OA公文系统",
        scopes=list(scopes),
        **kwargs,
    )


def test_a_token_creates_a_draft_with_its_attribute_and_a_revoked_one_is_refused(
    tree, client
) -> None:
    token, raw = _token(tree)
    assert token.digest != raw and raw not in token.digest  # only the hash is stored
    assert not ApiToken.objects.filter(digest=raw).exists()

    answer = _post(client, raw, tree.street.pk)
    assert answer.status_code == 201, answer.content.decode()
    pub = Publication.objects.get(pk=answer.json()["id"])
    assert pub.status == "draft"
    assert pub.organisation == tree.street
    assert pub.attribute == Publication.Attribute.ON_REQUEST  # 源头认定 kept
    entry = AuditEvent.objects.filter(action="publishing.publication.create").latest(
        "pk"
    )
    assert entry.username == f"apitoken-{token.prefix}"  # the token, not a person

    api_token_revoke(actor=tree.sysadmin, token=token)
    refused = _post(client, raw, tree.street.pk, title="第二份")
    assert refused.status_code == 401
    body = refused.content.decode()
    assert "吊销" in refused.json()["detail"]
    assert raw not in body and raw.split("_")[-1] not in body
    assert not Publication.objects.filter(title="第二份").exists()
    actions = set(
        AuditEvent.objects.filter(action__startswith="api_token").values_list(
            "action", flat=True
        )
    )
    assert actions == {"api_token.create", "api_token.revoke"}


def test_the_token_reads_the_catalogue_only_of_its_own_body(tree, client) -> None:
    catalogue_load_template(actor=None, organisation=tree.street)
    catalogue_load_template(actor=None, organisation=tree.sibling_street)
    _, raw = _token(tree, ApiToken.Scope.CATALOGUE_READ)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    own = client.get(f"/api/publishing/catalogue/{tree.street.pk}", **auth)
    assert own.status_code == 200 and len(own.json()) == 22  # 18 + 4 制度 items
    other = client.get(f"/api/publishing/catalogue/{tree.sibling_street.pk}", **auth)
    assert other.status_code == 404
    # The scope is enforced: this token may not create drafts.
    refused = _post(client, raw, tree.street.pk)
    assert refused.status_code == 403
    assert "无权" in refused.json()["detail"]


def test_an_expired_or_unknown_token_is_refused_in_chinese(tree, client) -> None:
    token, raw = _token(tree, expires_at=timezone.now() + timedelta(hours=1))
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    for presented in (raw, "gk_00000000_guessed", "not-a-token"):
        answer = _post(client, presented, tree.street.pk)
        assert answer.status_code == 401
        assert "接口令牌" in answer.json()["detail"]
        assert presented not in answer.content.decode()
    assert not Publication.objects.exists()


def test_a_token_cannot_reach_endpoints_outside_its_scopes(tree, client) -> None:
    _, raw = _token(tree)
    answer = client.get(
        "/api/publishing/publications", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert answer.status_code == 401


def test_only_the_sysadmin_of_the_body_makes_tokens_and_bad_input_is_refused(
    tree,
) -> None:
    with pytest.raises(PermissionDenied):
        api_token_create(
            actor=tree.officer,
            organisation=tree.street,
            name="x",
            scopes=[ApiToken.Scope.CATALOGUE_READ],
        )
    with pytest.raises(ValidationError, match="用途"):
        api_token_create(
            actor=tree.sysadmin, organisation=tree.street, name=" ", scopes=["x"]
        )
    with pytest.raises(ValidationError, match="权限范围"):
        api_token_create(
            actor=tree.sysadmin, organisation=tree.street, name="OA", scopes=["all"]
        )


def test_the_admin_shows_the_token_once(tree, client) -> None:
    client.force_login(tree.sysadmin)
    answer = client.post(
        "/admin/orgs/apitoken/add/",
        {
            "organisation": tree.street.pk,
            "name": "OA公文系统",
            "scopes": [ApiToken.Scope.DRAFT_CREATE],
        },
    )
    assert answer.status_code == 200, answer.content.decode()[:2000]
    page = answer.content.decode()
    token = ApiToken.objects.get()
    assert f"gk_{token.prefix}_" in page
    assert "no-store" in answer["Cache-Control"]
    detail = client.get(f"/admin/orgs/apitoken/{token.pk}/change/").content.decode()
    assert f"gk_{token.prefix}_" not in detail
    listing = client.get("/admin/orgs/apitoken/")
    assert listing.status_code == 200 and "有效" in listing.content.decode()
    client.post(
        "/admin/orgs/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_without_the_endpoints_scope_gets_403_insufficient_scope(
    tree, client
) -> None:
    """RFC 6750 §3.1: the token is valid, it lacks the scope — 403, not 401."""
    _, raw = _token(tree, ApiToken.Scope.CATALOGUE_READ)
    answer = _post(client, raw, tree.street.pk)
    assert answer.status_code == 403
    assert answer.json()["detail"] == "该接口令牌无权调用此接口。"
    challenge = answer["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert f'scope="{ApiToken.Scope.DRAFT_CREATE.value}"' in challenge
    assert not Publication.objects.exists()


def test_the_token_of_a_deactivated_service_account_is_refused(tree, client) -> None:
    token, raw = _token(tree)
    token.service_user.is_active = False
    token.service_user.save(update_fields=["is_active"])
    answer = _post(client, raw, tree.street.pk)
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer["WWW-Authenticate"]
    assert "接口令牌" in answer.json()["detail"]
    assert not Publication.objects.exists()
