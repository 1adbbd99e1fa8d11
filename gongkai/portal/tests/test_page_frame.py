"""A list or detail page is spliced into its body's frame, kept once per body,
适老化 mode and content version (``portal/frame.py``, issue 24, requirement 2): the
page is byte for byte the page rendered whole, and a kept frame never reaches
another body, another mode, a later version, a signed-in visitor or a page with a
message to show."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse

from gongkai.orgs.models import Organisation
from gongkai.portal import cache as page_cache
from gongkai.portal import views
from gongkai.portal.cache import CACHE_HEADER, ELDERLY_COOKIE, memo
from gongkai.portal.frame import FRAME_TEMPLATE
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db

# Everything the template escapes, in a title and in the page's own address.
AWKWARD_TITLE = "<b>\"关于'旧改'的公告\"</b> & 附件"
AWKWARD_QUERY = "?from=<x>&q=\"a\"&r='1'"


@pytest.fixture(autouse=True)
def _version_not_rechecked(monkeypatch):
    # The version is re-read every 2 s; a slow test run must not see a new one.
    monkeypatch.setattr(page_cache, "VERSION_RECHECK_SECONDS", 3600.0)
    cache.clear()
    memo.clear()


def detail_url(pub: Publication, org: Organisation | None = None) -> str:
    return reverse("portal:publication", args=[(org or pub.organisation).pk, pub.pk])


def list_url(org: Organisation) -> str:
    return reverse("portal:publications", args=[org.pk])


def visit(url: str, *, elderly: bool = False, client: Client | None = None):
    client = client or Client()
    if elderly:
        client.cookies[ELDERLY_COOKIE] = "1"
    response = client.get(url)
    assert response.status_code == 200
    return response


def frame_rendered(response) -> bool:
    """The response rendered the frame template (not served from a kept frame)."""
    return FRAME_TEMPLATE in [t.name for t in response.templates]


def test_a_page_spliced_into_the_kept_frame_is_the_page_rendered_whole(tree) -> None:
    first = make_live(tree.street, tree.officer, tree.head, title="第一条")
    awkward = make_live(tree.street, tree.officer, tree.head, title=AWKWARD_TITLE)
    staff = Client()
    staff.force_login(tree.officer)  # signed in: never a kept frame
    for elderly in (False, True):
        assert frame_rendered(visit(detail_url(first), elderly=elderly))
        for url in (
            detail_url(awkward) + AWKWARD_QUERY,
            list_url(tree.street) + AWKWARD_QUERY + "&page=1",
            list_url(tree.street) + "?topic=<b>&number=\"'",
        ):
            spliced = visit(url, elderly=elderly)
            assert spliced[CACHE_HEADER] == "miss"
            assert not frame_rendered(spliced)
            whole = visit(url, elderly=elderly, client=staff)
            assert frame_rendered(whole)
            assert spliced.content == whole.content, url
    page = visit(detail_url(awkward) + AWKWARD_QUERY).content.decode()
    assert (
        "<title>&lt;b&gt;&quot;关于&#x27;旧改&#x27;的公告&quot;&lt;/b&gt; &amp; 附件"
        in page
    )
    assert '?from=%3Cx%3E&amp;q=%22a%22&amp;r=&#x27;1&#x27;"' in page  # next=


def test_another_body_gets_its_own_frame(tree) -> None:
    street_item = make_live(tree.street, tree.officer, tree.head, title="街道的信息")
    other = make_live(tree.street, tree.officer, tree.head, title="街道的另一条")
    community_item = make_live(
        tree.community_a, tree.officer, tree.head, title="社区的信息"
    )
    visit(detail_url(street_item))  # keeps the street's frame
    community = visit(detail_url(community_item))
    assert frame_rendered(community)
    page = community.content.decode()
    assert "<title>社区的信息 · 甲社区居民委员会</title>" in page
    assert "主办单位：甲社区居民委员会" in page
    assert "测试街道办事处</a>" in page  # in its breadcrumb…
    assert "主办单位：测试街道办事处" not in page  # …not as its own
    # The same item under its street's column is the street's page.
    under_street = visit(detail_url(community_item, tree.street))
    assert not frame_rendered(under_street)
    assert "主办单位：测试街道办事处" in under_street.content.decode()
    again = visit(detail_url(other))
    assert not frame_rendered(again)
    assert "<title>街道的另一条 · 测试街道办事处</title>" in again.content.decode()


def test_a_change_to_the_body_is_not_served_the_old_frame(
    tree, django_capture_on_commit_callbacks
) -> None:
    from gongkai.orgs.services import organisation_update

    pub = make_live(tree.street, tree.officer, tree.head, title="第一条")
    assert "主办单位：测试街道办事处" in visit(list_url(tree.street)).content.decode()
    assert not frame_rendered(visit(detail_url(pub)))  # kept
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(
            actor=tree.sysadmin, organisation=tree.street, name="更名后的街道办事处"
        )
    after = visit(detail_url(pub))
    assert frame_rendered(after)
    page = after.content.decode()
    assert "主办单位：更名后的街道办事处" in page
    assert "<title>第一条 · 更名后的街道办事处</title>" in page
    # (the item's own 发布机构 keeps the name it was published under)
    assert "主办单位：测试街道办事处" not in page


def test_the_elderly_mode_has_its_own_frame(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, title="第一条")
    plain = visit(detail_url(pub)).content.decode()
    elderly = visit(detail_url(pub), elderly=True)
    assert frame_rendered(elderly)
    big = elderly.content.decode()
    assert '<html lang="zh-CN" class="elderly">' in big
    assert '<body class="portal elderly">' in big and "退出适老化模式" in big
    assert '<html lang="zh-CN">' in plain and "退出适老化模式" not in plain
    again = visit(list_url(tree.street))
    assert not frame_rendered(again)
    assert "退出适老化模式" not in again.content.decode()


def test_signed_in_visitors_get_the_frame_of_now(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, title="第一条")
    visit(detail_url(pub))  # keeps the street's frame
    # A change that has not raised the version yet (another process, within its
    # recheck interval): the anonymous copy may lag, a signed-in visitor's may not.
    Organisation.objects.filter(pk=tree.street.pk).update(name="新名称街道办事处")
    staff = Client()
    staff.force_login(tree.officer)
    page = visit(detail_url(pub), client=staff).content.decode()
    assert "主办单位：新名称街道办事处" in page


def _anonymous_request(url: str) -> HttpRequest:
    request = RequestFactory().get(url)
    SessionMiddleware(lambda r: None).process_request(request)  # type: ignore[arg-type,return-value]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    request.user = AnonymousUser()
    return request


def test_a_message_to_show_is_never_kept_in_the_frame(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, title="第一条")
    request = _anonymous_request(detail_url(pub))
    messages.success(request, "感谢您的反馈")
    response = views.publication_detail.__wrapped__(  # type: ignore[attr-defined]
        request, org_id=tree.street.pk, pk=pub.pk
    )
    assert "感谢您的反馈" in response.content.decode()
    later = visit(detail_url(pub))
    assert frame_rendered(later)  # nothing was kept from the page with the message
    assert "感谢您的反馈" not in later.content.decode()
    assert not frame_rendered(visit(detail_url(pub)))


def test_a_frame_holding_the_request_s_nonce_is_not_kept(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, title="第一条")
    request = _anonymous_request(detail_url(pub))
    # (A nonce is random; this one is text every frame of the street holds.)
    request.csp_nonce = "测试街道办事处"  # type: ignore[attr-defined]
    response = views.publication_detail.__wrapped__(  # type: ignore[attr-defined]
        request, org_id=tree.street.pk, pk=pub.pk
    )
    assert "<title>第一条 · 测试街道办事处</title>" in response.content.decode()
    frames = [value for key, (_t, value) in memo.parts.items() if "frame" in key]
    assert frames == [None]
    assert visit(detail_url(pub)).content == response.content
