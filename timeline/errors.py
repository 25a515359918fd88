"""Typed errors that carry a message meant for the user (shown as-is by CLI and app)."""
from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; the message says what and how."""


class IngestError(UserError):
    """A file could not be ingested. ``path`` names it; the message gives the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
