"""Every problem `code` this module answers with: one named error class each."""

from __future__ import annotations

from app.core.errors import NotFound


class NotificationNotFound(NotFound):
    code = "notification-not-found"
