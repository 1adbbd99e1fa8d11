"""Whole-page caching of anonymous portal pages (gongkai/portal/cache.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.portal.cache import CACHE_HEADER
from gongkai.publishing import services as pub_services
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(tree):
    return make_live(tree.street, tree.officer, tree.head, title="老旧小区改造公示")


def detail_url(publication):
    return reverse(
        "portal:publication", args=[publication.organisation_id, publication.pk]
    )


def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(live):
    visitor = Client()
    first = visitor.get(detail_url(live))
    second = Client().get(detail_url(live))
    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("miss", "hit")
    assert second.content == first.content
    assert "老旧小区改造公示" in second.content.decode()
    # The security headers are still set on a cached copy, by the middleware.
    assert "Content-Security-Policy" in second


def test_a_change_to_the_publication_shows_on_the_next_request(
    tree, live, django_capture_on_commit_callbacks
):
    assert Client().get(detail_url(live))[CACHE_HEADER] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        pub_services.publication_update(
            actor=tree.officer, publication=live, title="老旧小区改造公示（更正）"
        )
    again = Client().get(detail_url(live))
    assert again[CACHE_HEADER] == "miss"
    assert "（更正）" in again.content.decode()


def test_the_list_follows_a_new_publication(
    tree, live, django_capture_on_commit_callbacks
):
    url = reverse("portal:publications", args=[tree.street.pk])
    assert "第二条信息" not in Client().get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_live(tree.street, tree.officer, tree.head, title="第二条信息")
    assert "第二条信息" in Client().get(url).content.decode()


def test_signed_in_staff_and_sessions_are_never_served_a_cached_page(
    client, tree, live
):
    Client().get(detail_url(live))  # fills the cache
    client.force_login(tree.officer)
    response = client.get(detail_url(live))
    assert CACHE_HEADER not in response


def test_the_elderly_mode_has_its_own_copy(live):
    plain = Client().get(detail_url(live)).content.decode()
    elderly = Client()
    elderly.cookies["gk_elderly"] = "1"
    large = elderly.get(detail_url(live)).content.decode()
    assert 'class="portal elderly"' in large and 'class="portal elderly"' not in plain


def test_the_switch_to_elderly_mode_is_a_get_form_without_a_token(tree):
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(reverse("portal:column", args=[tree.street.pk])).content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = visitor.get(
        reverse("portal:toggle_elderly"), {"next": f"/gk/{tree.street.pk}/"}
    )
    assert response.cookies["gk_elderly"].value == "1"


def test_feedback_from_a_cached_page_is_accepted_and_its_thanks_not_cached(tree, live):
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(detail_url(live)).content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = visitor.post(
        reverse("portal:feedback", args=[tree.street.pk]),
        {"publication": live.pk, "useful": "1", "next": detail_url(live)},
        follow=True,
    )
    assert "感谢您的反馈" in response.content.decode()
    assert CACHE_HEADER not in response  # a page carrying a message is not stored
    later = Client().get(detail_url(live))
    assert "感谢您的反馈" not in later.content.decode()


def test_caching_can_be_turned_off(settings, live):
    settings.PORTAL_CACHE_SECONDS = 0
    Client().get(detail_url(live))
    assert CACHE_HEADER not in Client().get(detail_url(live))


def test_the_version_rises_when_the_change_commits_not_before(
    tree, live, django_capture_on_commit_callbacks
):
    from gongkai.portal.cache import content_version

    before = content_version()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        pub_services.publication_update(
            actor=tree.officer, publication=live, title="新标题"
        )
        assert content_version() == before  # nothing visible until the commit
    for callback in pending:
        callback()
    assert content_version() > before


def test_another_process_sees_a_change_once_it_rechecks_the_version(
    tree, live, django_capture_on_commit_callbacks
):
    from gongkai.portal import cache as page_cache

    assert Client().get(detail_url(live))[CACHE_HEADER] == "miss"
    # Another process changes the publication: this process's memo of the version is
    # not told, so it serves its copy until the recheck interval has passed…
    with page_cache.memo.lock:
        known = page_cache.memo.version
    with django_capture_on_commit_callbacks(execute=True):
        pub_services.publication_update(
            actor=tree.officer, publication=live, title="老旧小区改造公示（更正）"
        )
    with page_cache.memo.lock:
        page_cache.memo.version = known
    stale = Client().get(detail_url(live))
    assert stale[CACHE_HEADER] == "hit" and "（更正）" not in stale.content.decode()
    # …then reads the new version from the database and renders afresh.
    with page_cache.memo.lock:
        page_cache.memo.version = (
            known[0] - page_cache.VERSION_RECHECK_SECONDS,
            known[1],
        )
    fresh = Client().get(detail_url(live))
    assert fresh[CACHE_HEADER] == "miss" and "（更正）" in fresh.content.decode()


def test_bookkeeping_rows_do_not_empty_the_cache(
    tree, live, django_capture_on_commit_callbacks
):
    from gongkai.portal.cache import content_version
    from gongkai.publishing.channels import outbox_send

    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        counts = outbox_send()  # saves a delivery row per channel of the live item
    assert counts["sent"] >= 1
    assert content_version() == before


def test_a_scanned_report_waiting_to_be_read_does_not_empty_the_cache(
    tree, django_capture_on_commit_callbacks
):
    """The 导入 screen's job row is the office's bookkeeping; only the report it
    makes (when published) is public."""
    from gongkai.portal.cache import content_version
    from gongkai.reports.models import ReportImportJob

    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        job = ReportImportJob.objects.create(
            organisation=tree.street, filename="2025年报.pdf"
        )
        job.state = ReportImportJob.State.FAILED
        job.save(update_fields=["state"])
        job.delete()
    assert content_version() == before


def test_the_list_filters_by_year_and_ignores_nonsense(tree):
    import time_machine

    with time_machine.travel("2025-12-31 23:30 +0800", tick=False):
        make_live(tree.street, tree.officer, tree.head, title="二〇二五年末的信息")
    with time_machine.travel("2026-01-01 00:10 +0800", tick=False):
        make_live(tree.street, tree.officer, tree.head, title="二〇二六年初的信息")
    url = reverse("portal:publications", args=[tree.street.pk])

    def titles(year: str) -> set[str]:
        page = Client().get(url, {"year": year}).content.decode()
        return {t for t in ("二〇二五年末的信息", "二〇二六年初的信息") if t in page}

    assert titles("2025") == {"二〇二五年末的信息"}
    assert titles("2026") == {"二〇二六年初的信息"}
    assert len(titles("abc")) == len(titles("99999")) == 2
