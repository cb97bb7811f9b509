"""The transactional outbox port shared by every module, and the typed messages it carries.

A job is a frozen dataclass naming its task (`task`, a stable string the queue uses); the domain
adds one to the outbox in the same transaction as the change that caused it, and
`entrypoints/jobs/tasks.py` maps each message type to the service call that handles it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol


class JobMessage(Protocol):
    task: ClassVar[str]


class Outbox(Protocol):
    """Jobs to run after the surrounding transaction commits (written in the same transaction)."""

    def add(self, message: JobMessage) -> None: ...


@dataclass(frozen=True, slots=True)
class SendVerificationEmail:
    task: ClassVar[str] = "accounts.send_verification_email"
    user_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class SendPasswordResetEmail:
    task: ClassVar[str] = "accounts.send_password_reset_email"
    user_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class SendCampaignInvite:
    task: ClassVar[str] = "campaigns.send_invite"
    invite_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class RunGeneration:
    task: ClassVar[str] = "generation.run"
    generation_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class RunPrompt:
    task: ClassVar[str] = "prompts.run"
    run_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class MakeThumbnail:
    task: ClassVar[str] = "media.make_thumbnail"
    media_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class DeliverNotification:
    """Fan one event out as in-app notifications (to `recipients`, or to the followers of a creator)."""

    task: ClassVar[str] = "notifications.deliver"
    kind: str
    at: datetime  # when it happened: notifications are dated by their event, not by delivery
    actor_id: uuid.UUID | None = None
    target_id: uuid.UUID | None = None
    recipients: list[uuid.UUID] = field(default_factory=list)
    followers_of: uuid.UUID | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EmailNotification:
    task: ClassVar[str] = "notifications.email"
    notification_id: uuid.UUID


JOB_MESSAGES: tuple[type[Any], ...] = (
    SendVerificationEmail,
    SendPasswordResetEmail,
    SendCampaignInvite,
    RunGeneration,
    RunPrompt,
    MakeThumbnail,
    DeliverNotification,
    EmailNotification,
)
