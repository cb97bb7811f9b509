"""In-app notifications (Oasis) with email for the important kinds."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class NotificationKind(enum.StrEnum):
    NEW_POST = "new_post"  # a creator you follow posted
    NEW_SUBSCRIBER = "new_subscriber"
    TIP = "tip"
    COMMENT = "comment"
    REPLY = "reply"
    MENTION = "mention"  # a campaign comment mentions you (@username)
    COMMISSION_UPDATE = "commission_update"
    CAMPAIGN_UPDATE = "campaign_update"  # someone else changed your campaign
    COLLABORATOR_JOINED = "collaborator_joined"  # someone accepted your invitation to a campaign
    COLLABORATION_CHANGED = "collaboration_changed"  # your role on a campaign changed, or you were removed
    BUDGET_ALERT = "budget_alert"  # a campaign's spend passed 80 % or 100 % of its budget


# Worth an email as well as the bell icon.
EMAIL_KINDS = frozenset(
    {
        NotificationKind.NEW_SUBSCRIBER,
        NotificationKind.TIP,
        NotificationKind.COMMISSION_UPDATE,
        NotificationKind.COMMENT,  # CRE Studio: comments and replies are emailed
        NotificationKind.REPLY,
        NotificationKind.MENTION,
        NotificationKind.CAMPAIGN_UPDATE,
        NotificationKind.COLLABORATOR_JOINED,
        NotificationKind.COLLABORATION_CHANGED,
        NotificationKind.BUDGET_ALERT,
    }
)


@dataclass(slots=True, kw_only=True)
class Notification:
    id: uuid.UUID
    user_id: uuid.UUID
    kind: NotificationKind
    actor_id: uuid.UUID | None
    target_id: uuid.UUID | None
    data: dict[str, Any] = field(default_factory=dict)
    read_at: datetime | None = None
    created_at: datetime | None = None
