"""Writes of proactive disclosure: the catalogue and the publication workflow.

Every service takes keyword-only arguments and the ``actor``, runs in one
transaction, checks permissions through ``gongkai.orgs.permissions``, locks the
row it changes (``select_for_update``), appends a ``PublicationEvent`` where the
workflow moves, and an audit row always. Refusals are ``ValidationError`` or
``PermissionDenied`` with Chinese messages.

Split by entity: ``catalogue``, ``index_numbers``, ``publications`` (content),
``workflow`` (one service per action), ``attachments``, ``deadlines`` (Art. 26).
"""

from __future__ import annotations

from gongkai.publishing.services.attachments import (
    attachment_add,
    attachment_add_masked_copy,
)
from gongkai.publishing.services.catalogue import (
    CATALOGUE_FIELDS,
    catalogue_item_create,
    catalogue_item_update,
    catalogue_load_template,
)
from gongkai.publishing.services.deadlines import (
    publication_due_date,
    publication_due_is_provisional,
    publication_due_provisional,
)
from gongkai.publishing.services.index_numbers import (
    DEFAULT_INDEX_PATTERN,
    format_index_no,
)
from gongkai.publishing.services.publications import (
    PUBLICATION_FIELDS,
    publication_apply_masks,
    publication_create,
    publication_update,
)
from gongkai.publishing.services.workflow import (
    WORKFLOW_SERVICES,
    publication_approve,
    publication_publish,
    publication_publish_due,
    publication_reject,
    publication_reopen,
    publication_schedule,
    publication_submit,
    publication_unschedule,
    publication_withdraw,
)

__all__ = [
    "CATALOGUE_FIELDS",
    "DEFAULT_INDEX_PATTERN",
    "PUBLICATION_FIELDS",
    "WORKFLOW_SERVICES",
    "attachment_add",
    "attachment_add_masked_copy",
    "catalogue_item_create",
    "catalogue_item_update",
    "catalogue_load_template",
    "format_index_no",
    "publication_apply_masks",
    "publication_approve",
    "publication_create",
    "publication_due_date",
    "publication_due_is_provisional",
    "publication_due_provisional",
    "publication_publish",
    "publication_publish_due",
    "publication_reject",
    "publication_reopen",
    "publication_schedule",
    "publication_submit",
    "publication_unschedule",
    "publication_update",
    "publication_withdraw",
]
