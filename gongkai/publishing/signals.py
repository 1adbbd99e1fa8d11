"""Signals of the publishing app (loosely coupled side effects only, STYLE §2)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the commit of a change that put deliveries in the channel outbox; the
# task module answers by asking the worker to drain it (cron is the backstop).
outbox_filled = Signal()
