"""Screens of 主动公开. Thin: bind a form, call one service, redirect or render.

Back-office screens work on the active organisation (``active_organisation``) and
go through the permission helper; the feeds and the hall screen are public and
show only live 主动公开 items. Split by area: ``publications`` (overview,
catalogue, items), ``registers`` (table 二, late and stale lists), ``channels``
(sync screen and public outputs)."""

from __future__ import annotations

from gongkai.publishing.views.channels import (
    channel_sync,
    delivery_action,
    feed_atom,
    feed_json,
    feed_rss,
    hall_screen,
    poster,
)
from gongkai.publishing.views.publications import (
    attachment_download,
    attachment_upload,
    catalogue,
    catalogue_item_create,
    catalogue_item_edit,
    index,
    publication_action,
    publication_create,
    publication_detail,
    publication_edit,
    publication_list,
    publication_list_export,
)
from gongkai.publishing.views.registers import (
    decision_create,
    decision_import,
    fee_create,
    late_list,
    normative_create,
    normative_end,
    registers_view,
    stale_list,
)

__all__ = [
    "attachment_download",
    "attachment_upload",
    "catalogue",
    "catalogue_item_create",
    "catalogue_item_edit",
    "channel_sync",
    "decision_create",
    "decision_import",
    "delivery_action",
    "fee_create",
    "feed_atom",
    "feed_json",
    "feed_rss",
    "hall_screen",
    "index",
    "late_list",
    "normative_create",
    "normative_end",
    "poster",
    "publication_action",
    "publication_create",
    "publication_detail",
    "publication_edit",
    "publication_list",
    "publication_list_export",
    "registers_view",
    "stale_list",
]
