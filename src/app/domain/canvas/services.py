"""Canvas use cases: read, edit (versioned, persisted, then broadcast), history, restore."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from app.core.clock import Clock
from app.core.errors import NotFound
from app.domain.accounts.entities import Page, Principal
from app.domain.campaigns.entities import Campaign
from app.domain.campaigns.errors import CampaignNotFound, CampaignReadOnly
from app.domain.campaigns.services import can_edit, can_read
from app.domain.canvas.entities import CanvasDocument, CanvasEdit, apply_op, replay
from app.domain.canvas.ports import (
    CanvasRenderer,
    CanvasUnitOfWork,
    CanvasUnitOfWorkFactory,
    EventPublisher,
    room_channel,
)
from app.domain.media.ports import ObjectNotFound, ObjectStorage

REPLAY_LIMIT = 1000  # a reconnect further behind than this gets a snapshot instead


@dataclass(frozen=True, slots=True)
class Catchup:
    """What a (re)joining editor needs: either the missed edits or a full snapshot."""

    edits: list[CanvasEdit] | None
    snapshot: CanvasDocument | None


def edit_event(edit: CanvasEdit, *, origin: str | None) -> dict[str, Any]:
    return {
        "type": "op",
        "version": edit.version,
        "user_id": str(edit.user_id) if edit.user_id else None,
        "client_op_id": edit.client_op_id,
        "op": edit.op,
        "origin": origin,
    }


class CanvasService:
    def __init__(
        self,
        *,
        uow: CanvasUnitOfWorkFactory,
        events: EventPublisher,
        clock: Clock,
        renderer: CanvasRenderer,
        storage: ObjectStorage,
    ) -> None:
        self._uow = uow
        self._events = events
        self._clock = clock
        self._renderer = renderer
        self._storage = storage

    async def _campaign(self, uow: CanvasUnitOfWork, principal: Principal, campaign_id: uuid.UUID) -> Campaign:
        campaign = await uow.campaigns.get(campaign_id)
        if campaign is None or not can_read(principal, campaign):
            raise CampaignNotFound()
        return campaign

    async def access(self, principal: Principal, campaign_id: uuid.UUID) -> bool:
        """Raises CampaignNotFound if the caller may not see it; returns whether it may edit."""
        async with self._uow() as uow:
            return can_edit(principal, await self._campaign(uow, principal, campaign_id))

    async def document(self, principal: Principal, campaign_id: uuid.UUID) -> CanvasDocument:
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id)
            document = await uow.canvas.get_document(campaign_id)
        return document or CanvasDocument(campaign_id=campaign_id)

    async def catch_up(self, campaign_id: uuid.UUID, since_version: int | None) -> Catchup:
        """Access must have been checked by the caller (the room join did)."""
        async with self._uow() as uow:
            document = await uow.canvas.get_document(campaign_id) or CanvasDocument(campaign_id=campaign_id)
            if since_version is None or since_version > document.version or document.version - since_version > REPLAY_LIMIT:
                return Catchup(edits=None, snapshot=document)
            edits = await uow.canvas.edits_after(campaign_id, since_version, limit=REPLAY_LIMIT)
        return Catchup(edits=edits, snapshot=None)

    async def apply(
        self, principal: Principal, campaign_id: uuid.UUID, op: dict[str, Any], *, client_op_id: str, origin: str | None = None
    ) -> CanvasEdit:
        """Assign the next version, persist the edit record, commit, then broadcast."""
        async with self._uow() as uow:
            campaign = await self._campaign(uow, principal, campaign_id)
            if not can_edit(principal, campaign):
                raise CampaignReadOnly()
            edit = await self._commit_op(uow, campaign_id, op, user_id=principal.user_id, client_op_id=client_op_id)
        await self._events.publish(room_channel(campaign_id), edit_event(edit, origin=origin))
        return edit

    async def _commit_op(
        self, uow: CanvasUnitOfWork, campaign_id: uuid.UUID, op: dict[str, Any], *, user_id: uuid.UUID | None, client_op_id: str
    ) -> CanvasEdit:
        await uow.canvas.ensure_document(campaign_id)
        # The row lock makes versions per room strictly increasing and gap-free.
        document = await uow.canvas.get_document(campaign_id, for_update=True)
        assert document is not None
        apply_op(document, op)  # raises CanvasOpRejected: nothing is written
        document.version += 1
        document.updated_at = self._clock.now()
        edit = CanvasEdit(
            campaign_id=campaign_id,
            version=document.version,
            user_id=user_id,
            client_op_id=client_op_id,
            op=op,
            created_at=document.updated_at,
        )
        await uow.canvas.add_edit(edit)
        await uow.canvas.save_document(document)
        await uow.commit()
        return edit

    async def history(self, principal: Principal, campaign_id: uuid.UUID, *, page: int, page_size: int) -> Page[CanvasEdit]:
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id)
            return await uow.canvas.history(campaign_id, page=page, page_size=page_size)

    async def restore(self, principal: Principal, campaign_id: uuid.UUID, version: int) -> CanvasEdit:
        """Restoring is itself an edit (replace_document), so history and rooms stay linear."""
        async with self._uow() as uow:
            campaign = await self._campaign(uow, principal, campaign_id)
            if not can_edit(principal, campaign):
                raise CampaignReadOnly()
            current = await uow.canvas.get_document(campaign_id)
            if current is None or not 0 <= version <= current.version:
                raise NotFound(f"Version {version} does not exist.", code="version-not-found")
            past = replay(campaign_id, await uow.canvas.edits_up_to(campaign_id, version))
            op = {"kind": "replace_document", "document": past.state(), "restored_from": version}
            edit = await self._commit_op(uow, campaign_id, op, user_id=principal.user_id, client_op_id=f"restore:{version}")
        await self._events.publish(room_channel(campaign_id), edit_event(edit, origin=None))
        return edit

    async def export_png(self, principal: Principal, campaign_id: uuid.UUID) -> bytes:
        document = await self.document(principal, campaign_id)
        state = document.state()
        # Only the campaign's own media may be embedded: a layer naming someone
        # else's private object must not leak it through an export.
        prefix = f"campaigns/{campaign_id}/"
        images: dict[str, bytes] = {}
        for key in self._renderer.image_keys(state):
            if key.startswith(prefix):
                try:
                    images[key] = await self._storage.get(key)
                except ObjectNotFound:
                    pass
        return await self._renderer.render(state, images)
