"""SAQ task functions: thin wrappers that call domain services.

Each is registered under the outbox task name the domain uses, and wrapped so it
heartbeats while running.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.adapters.queue.saq_queue import with_heartbeat
from app.domain.accounts.services import SEND_PASSWORD_RESET_EMAIL, SEND_VERIFICATION_EMAIL
from app.domain.generation.services import RUN_GENERATION
from app.domain.media.services import MAKE_THUMBNAIL
from app.domain.notifications.services import DELIVER, SEND_EMAIL
from app.domain.prompts.services import RUN_PROMPT
from app.entrypoints.container import Services


def _services(ctx: dict[str, Any]) -> Services:
    return ctx["services"]


@with_heartbeat
async def send_verification_email(ctx: dict[str, Any], *, user_id: str) -> bool:
    return await _services(ctx).auth.send_verification_email(uuid.UUID(user_id))


@with_heartbeat
async def send_password_reset_email(ctx: dict[str, Any], *, user_id: str) -> bool:
    return await _services(ctx).auth.send_password_reset_email(uuid.UUID(user_id))


def _final_attempt(ctx: dict[str, Any]) -> bool:
    """On the last attempt a service records the failure instead of raising for a retry."""
    job = ctx.get("job")
    return job is None or job.attempts >= job.retries


@with_heartbeat
async def run_generation(ctx: dict[str, Any], *, generation_id: str) -> str | None:
    status = await _services(ctx).generations.run(uuid.UUID(generation_id), final_attempt=_final_attempt(ctx))
    return status.value if status else None


@with_heartbeat
async def run_prompt(ctx: dict[str, Any], *, run_id: str) -> str | None:
    status = await _services(ctx).prompts.execute_run(uuid.UUID(run_id), final_attempt=_final_attempt(ctx))
    return status.value if status else None


@with_heartbeat
async def make_thumbnail(ctx: dict[str, Any], *, media_id: str) -> bool:
    return await _services(ctx).media.make_thumbnail(uuid.UUID(media_id))


@with_heartbeat
async def reconcile_payments(ctx: dict[str, Any]) -> int:
    billing = _services(ctx).billing
    return await billing.reconcile() if billing else 0


@with_heartbeat
async def deliver_notification(ctx: dict[str, Any], **payload: Any) -> int:
    return await _services(ctx).notifications.deliver(payload)


@with_heartbeat
async def email_notification(ctx: dict[str, Any], *, notification_id: str) -> bool:
    return await _services(ctx).notifications.send_email(uuid.UUID(notification_id))


TASKS = [
    (SEND_VERIFICATION_EMAIL, send_verification_email),
    (SEND_PASSWORD_RESET_EMAIL, send_password_reset_email),
    (RUN_GENERATION, run_generation),
    (MAKE_THUMBNAIL, make_thumbnail),
    (RUN_PROMPT, run_prompt),
    (DELIVER, deliver_notification),
    (SEND_EMAIL, email_notification),
]
