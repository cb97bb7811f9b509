"""SAQ tasks: one typed job message -> one service call, listed in one table (`HANDLERS`).

The queue carries a message as its task name plus JSON fields; each task decodes them back into
the message's dataclass (UUIDs and times typed again) before calling the service, and heartbeats
while it runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from app.adapters.queue.saq_queue import with_heartbeat
from app.domain.outbox import (
    DeliverNotification,
    EmailNotification,
    MakeThumbnail,
    RunGeneration,
    RunPrompt,
    SendCampaignInvite,
    SendPasswordResetEmail,
    SendVerificationEmail,
)
from app.entrypoints.container import Services

Handler = Callable[[Services, Any, bool], Awaitable[Any]]


def _final_attempt(ctx: dict[str, Any]) -> bool:
    """On the last attempt a service records the failure instead of raising for a retry."""
    job = ctx.get("job")
    return job is None or job.attempts >= job.retries


async def _run_generation(services: Services, message: RunGeneration, final_attempt: bool) -> str | None:
    status = await services.generations.run(message.generation_id, final_attempt=final_attempt)
    return status.value if status else None


async def _run_prompt(services: Services, message: RunPrompt, final_attempt: bool) -> str | None:
    status = await services.prompts.execute_run(message.run_id, final_attempt=final_attempt)
    return status.value if status else None


HANDLERS: dict[type[Any], Handler] = {
    SendVerificationEmail: lambda s, m, _: s.auth.send_verification_email(m.user_id),
    SendPasswordResetEmail: lambda s, m, _: s.auth.send_password_reset_email(m.user_id),
    SendCampaignInvite: lambda s, m, _: s.collaborators.send_invite_email(m.invite_id),
    RunGeneration: _run_generation,
    RunPrompt: _run_prompt,
    MakeThumbnail: lambda s, m, _: s.media.make_thumbnail(m.media_id),
    DeliverNotification: lambda s, m, _: s.notifications.deliver(m),
    EmailNotification: lambda s, m, _: s.notifications.send_email(m.notification_id),
}


def _task(message_type: type[Any], handle: Handler) -> Callable[..., Awaitable[Any]]:
    @with_heartbeat
    async def run(ctx: dict[str, Any], **fields: Any) -> Any:
        message = msgspec.convert(fields, message_type)
        return await handle(ctx["services"], message, _final_attempt(ctx))

    run.__name__ = run.__qualname__ = message_type.task
    return run


@with_heartbeat
async def reconcile_payments(ctx: dict[str, Any]) -> int:
    events = ctx["services"].gateway_events
    return await events.reconcile() if events else 0


TASKS = [(message_type.task, _task(message_type, handle)) for message_type, handle in HANDLERS.items()]
