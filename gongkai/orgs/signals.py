"""Signals of the organisation tree, for apps that keep derived state by path."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``services.organisation_move`` inside its transaction, after every path in
# the subtree was rewritten; keyword arguments ``path``: the subtree's new path,
# ``old_path``: its path before.
subtree_moved = Signal()
