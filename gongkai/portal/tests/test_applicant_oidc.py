"""Issue 16, requirement 5: 我的申请 through a province's 统一身份认证 (OpenID Connect,
mozilla-django-oidc), against a local provider on 127.0.0.1."""

from __future__ import annotations

import http.client
from datetime import date
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.core.identifiers import resident_id_check_character
from gongkai.inforequests import letters
from gongkai.inforequests.tests.factories import RESIDENT_ID, registration
from gongkai.inforequests.tests.local_servers import free_port
from gongkai.portal.tests.oidc_provider import OidcProvider

pytestmark = pytest.mark.django_db

EMAIL = "li.si@example.cn"
SECRET = "a-client-secret-of-at-least-32-bytes"
PHONE = "13800001111"


@pytest.fixture
def provider(settings):
    claims = {
        "sub": "p-0001",
        "phone_number": f"+86{PHONE}",
        "phone_number_verified": True,
        "email": EMAIL,
        "email_verified": False,
    }
    with OidcProvider("gongkai", SECRET, claims) as op:
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{op.url}/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{op.url}/token"
        settings.OIDC_OP_USER_ENDPOINT = f"{op.url}/userinfo"
        settings.OIDC_RP_CLIENT_ID = "gongkai"
        settings.OIDC_RP_CLIENT_SECRET = SECRET
        settings.OIDC_RP_SIGN_ALGO = "HS256"
        yield op


def case_of(tree, **overrides):
    values = {
        "channel": "online",
        "confirmed_on": date(2026, 9, 18),
        "email": EMAIL,
        "phone": PHONE,
    }
    values.update(overrides)
    case, _code, _ = letters.register(
        actor=tree.officer,
        organisation=tree.street,
        registration=registration(**values),
    )
    return case


def through_provider(client) -> str:
    """Press the button, let the provider answer; the callback path with its query."""
    start = client.post(reverse("portal:me_oidc"))
    assert start.status_code == 302
    url = urlparse(start["Location"])
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    conn.request("GET", f"{url.path}?{url.query}")
    answer = conn.getresponse()
    assert answer.status == 302
    back = urlparse(answer.getheader("Location"))
    return f"{back.path}?{back.query}"


def test_signed_in_by_the_provider_with_a_verified_mobile(client, tree, provider):
    mine = case_of(tree)
    theirs = case_of(tree, email="wang@example.cn", phone="13900002222")
    users = User.objects.count()
    page = client.get(reverse("portal:me")).content.decode()
    assert "用统一身份认证登录" in page
    done = client.get(through_provider(client))
    assert done.status_code == 302 and done["Location"] == reverse("portal:me")
    listing = client.get(reverse("portal:me")).content.decode()
    assert mine.tracking_number in listing and theirs.tracking_number not in listing
    assert User.objects.count() == users  # no account is created


def test_an_unverified_address_is_not_enough(client, tree, provider):
    case_of(tree)
    provider.claims.update(phone_number_verified=False)
    answer = client.get(through_provider(client))
    assert answer.status_code == 400
    assert "没有提供经过验证的手机号码" in answer.content.decode()
    assert "我的申请" in client.get(reverse("portal:me")).content.decode()
    assert "退出" not in client.get(reverse("portal:me")).content.decode()


OTHER_ID = "11010519851210702" + resident_id_check_character("11010519851210702")


def test_a_verified_identity_number_also_finds_the_applications_made_with_it(
    client, tree, provider, settings
):
    """Before: only the address's applications (docs/applications.md §10, 我的申请)."""
    settings.OIDC_ID_NUMBER_CLAIM = "id_card_number"
    by_phone = case_of(tree)
    # On paper at the counter, another phone and no e-mail, the same 身份证.
    by_number = case_of(
        tree, channel="in_person", email="", phone="13700003333", id_number=RESIDENT_ID
    )
    stranger = case_of(tree, email="", phone="13700004444", id_number=OTHER_ID)
    provider.claims.update(
        id_card_number=RESIDENT_ID.lower(), id_card_number_verified=True
    )
    client.get(through_provider(client))
    listing = client.get(reverse("portal:me")).content.decode()
    assert by_phone.tracking_number in listing
    assert by_number.tracking_number in listing
    assert stranger.tracking_number not in listing
    page = client.get(reverse("portal:me_case", args=[by_number.tracking_number]))
    assert page.status_code == 200


def test_an_identity_number_the_provider_does_not_vouch_for_finds_nothing_more(
    client, tree, provider, settings
):
    settings.OIDC_ID_NUMBER_CLAIM = "id_card_number"
    by_number = case_of(tree, email="", phone="13700003333")
    provider.claims.update(id_card_number=RESIDENT_ID, id_card_number_verified=False)
    client.get(through_provider(client))
    listing = client.get(reverse("portal:me")).content.decode()
    assert by_number.tracking_number not in listing
    # Verified, but the setting names no claim: not used either.
    settings.OIDC_ID_NUMBER_CLAIM = ""
    provider.claims.update(id_card_number_verified=True)
    client.get(through_provider(client))
    assert (
        by_number.tracking_number
        not in client.get(reverse("portal:me")).content.decode()
    )


def test_a_verified_identity_number_alone_signs_in(client, tree, provider, settings):
    settings.OIDC_ID_NUMBER_CLAIM = "id_card_number"
    mine = case_of(tree, email="", phone="13700003333")
    stranger = case_of(tree, email="", phone="13700004444", id_number=OTHER_ID)
    provider.claims.update(
        phone_number_verified=False,
        id_card_number=RESIDENT_ID,
        id_card_number_verified=True,
    )
    done = client.get(through_provider(client))
    assert done.status_code == 302
    listing = client.get(reverse("portal:me")).content.decode()
    assert mine.tracking_number in listing and stranger.tracking_number not in listing
    assert RESIDENT_ID not in listing  # shown masked, if at all


def test_a_forged_token_a_wrong_state_and_a_provider_that_is_down(
    client, tree, provider, settings
):
    case_of(tree)
    provider.signing_key = "not-the-client-secret-though-32-bytes-long"
    forged = client.get(through_provider(client))
    assert forged.status_code == 400 and "未成功" in forged.content.decode()
    provider.signing_key = provider.client_secret
    callback = through_provider(client)
    wrong_state = client.get(callback.replace("state=", "state=x"))
    assert wrong_state.status_code == 400 and "未成功" in wrong_state.content.decode()
    callback = through_provider(client)
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/token"
    down = client.get(callback)
    assert down.status_code == 400 and "未成功" in down.content.decode()
    assert "退出" not in client.get(reverse("portal:me")).content.decode()


def test_without_a_provider_there_is_no_button(client, tree):
    assert "统一身份认证" not in client.get(reverse("portal:me")).content.decode()
    assert client.post(reverse("portal:me_oidc")).status_code == 404
