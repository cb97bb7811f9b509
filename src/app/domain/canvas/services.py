"""Canvas use cases: read, edit (versioned, persisted, then broadcast), history, restore."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import copy
import dataclasses
import uuid
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from app.core.clock import Clock
from app.core.errors import AppError, FieldError, ValidationFailed
from app.domain.analytics.entities import UsageKind
from app.domain.analytics.ports import UsageRecorder
from app.domain.billing.ports import Entitlements
from app.domain.campaigns.entities import Campaign
from app.domain.campaigns.errors import CampaignNotFound, CampaignReadOnly
from app.domain.campaigns.services import campaign_for, can_edit, can_read, require_not_viewer
from app.domain.canvas.diff import json_patch
from app.domain.canvas.entities import (
    NAMED_VERSIONS_MAX,
    NO_LOCK,
    CanvasDocument,
    CanvasEdit,
    LayerLock,
    NamedVersion,
    apply_op,
    confined_key,
    replay,
)
from app.domain.canvas.errors import CanvasOpRejected, SessionEnded, TooManyNamedVersions, VersionNotFound
from app.domain.canvas.ports import (
    CanvasRenderer,
    CanvasUnitOfWork,
    CanvasUnitOfWorkFactory,
    EventPublisher,
    room_channel,
)
from app.domain.kernel import Page, Principal
from app.domain.media.ports import ObjectNotFound, ObjectStorage

REPLAY_LIMIT = 1000  # a reconnect further behind than this gets a snapshot instead
DOCUMENTS_KEPT = 256  # rooms whose document stays decoded in memory between batches
MAX_BATCH = 200  # ops committed in one transaction at most


@dataclass(slots=True)
class _PendingOp:
    principal: Principal | None  # None: the system (a job acting for `user_id`), no access check
    user_id: uuid.UUID | None
    op: dict[str, Any]
    client_op_id: str
    origin: str | None
    result: asyncio.Future[CanvasEdit]


class Access(StrEnum):
    """What an open connection may still do, as of now."""

    EDIT = "edit"
    VIEW = "view"
    LOST = "access-lost"  # the campaign is gone or no longer readable by this user
    ENDED = "session-ended"


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
        entitlements: Entitlements,
        usage: UsageRecorder,
    ) -> None:
        self._uow = uow
        self._events = events
        self._clock = clock
        self._renderer = renderer
        self._storage = storage
        self._entitlements = entitlements
        self._usage = usage
        self._batches: dict[uuid.UUID, list[_PendingOp]] = {}
        # The last committed document of each busy room, reused while the database still has its version
        # (decoding a big document for every batch of ops was the room's largest cost).
        self._documents: collections.OrderedDict[uuid.UUID, CanvasDocument] = collections.OrderedDict()
        # The running committer of each room (also the reference that keeps its task alive).
        self._committers: dict[uuid.UUID, asyncio.Task[None]] = {}

    async def _campaign(self, uow: CanvasUnitOfWork, principal: Principal, campaign_id: uuid.UUID) -> Campaign:
        return await campaign_for(uow.campaigns, principal, campaign_id)

    async def access(self, principal: Principal, campaign_id: uuid.UUID) -> bool:
        """Raises CampaignNotFound if the caller may not see it; returns whether it may edit."""
        async with self._uow() as uow:
            return can_edit(principal, await self._campaign(uow, principal, campaign_id))

    async def recheck(self, campaign_id: uuid.UUID, principals: list[Principal]) -> dict[uuid.UUID, Access]:
        """Access of each session *now* (its role may have changed, it may have signed out, the campaign
        may be gone): rooms call this for their open sockets. Two queries whatever the number of sockets."""
        async with self._uow() as uow:
            campaign = await uow.campaigns.get(campaign_id)
            live = await uow.principals.live({p.session_id for p in principals}, now=self._clock.now())
        result: dict[uuid.UUID, Access] = {}
        for principal in principals:
            fresh = live.get(principal.session_id)
            if fresh is None:
                result[principal.session_id] = Access.ENDED
            elif campaign is None or not can_read(fresh, campaign):
                result[principal.session_id] = Access.LOST
            else:
                result[principal.session_id] = Access.EDIT if can_edit(fresh, campaign) else Access.VIEW
        return result

    async def layer_lock(self, principal: Principal, campaign_id: uuid.UUID) -> LayerLock:
        """Which generated layers this viewer sees only as placeholders (the generations' freemium lock)."""
        lock = await self._entitlements.results_lock(principal)
        if not lock.applies:
            return NO_LOCK
        async with self._uow() as uow:
            requested = await uow.generation_times.requested_at(campaign_id)
        return LayerLock(
            applies=True, unlocked=frozenset(prefix for prefix, at in requested.items() if not lock.locks(at))
        )

    async def document(self, principal: Principal, campaign_id: uuid.UUID) -> CanvasDocument:
        """The document as this viewer may see it (locked generated layers as placeholders)."""
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id)
            document = await uow.canvas.get_document(campaign_id)
        document = document or CanvasDocument(campaign_id=campaign_id)
        lock = await self.layer_lock(principal, campaign_id)
        if lock.applies:
            document = dataclasses.replace(document, layers=lock.state(document.state())["layers"])
        return document

    async def catch_up(self, campaign_id: uuid.UUID, since_version: int | None) -> Catchup:
        """Access must have been checked by the caller (the room join did)."""
        async with self._uow() as uow:
            document = await uow.canvas.get_document(campaign_id) or CanvasDocument(campaign_id=campaign_id)
            if (
                since_version is None
                or since_version > document.version
                or document.version - since_version > REPLAY_LIMIT
            ):
                return Catchup(edits=None, snapshot=document)
            edits = await uow.canvas.edits_after(campaign_id, since_version, limit=REPLAY_LIMIT)
        return Catchup(edits=edits, snapshot=None)

    async def apply(
        self,
        principal: Principal,
        campaign_id: uuid.UUID,
        op: dict[str, Any],
        *,
        client_op_id: str,
        origin: str | None = None,
    ) -> CanvasEdit:
        """Assign the next version, persist the edit record, commit, then broadcast.

        Ops for one room that arrive while a commit is in flight are committed
        together in the next transaction (group commit); each still gets its own
        version, edit record, result and broadcast.
        """
        return await self._enqueue(
            campaign_id,
            _PendingOp(
                principal, principal.user_id, op, client_op_id, origin, asyncio.get_running_loop().create_future()
            ),
        )

    async def apply_as_system(
        self, campaign_id: uuid.UUID, op: dict[str, Any], *, user_id: uuid.UUID | None, client_op_id: str
    ) -> CanvasEdit:
        """For jobs (AI generation): access was checked when the work was requested."""
        return await self._enqueue(
            campaign_id, _PendingOp(None, user_id, op, client_op_id, None, asyncio.get_running_loop().create_future())
        )

    async def document_for_system(self, campaign_id: uuid.UUID) -> CanvasDocument:
        async with self._uow() as uow:
            document = await uow.canvas.get_document(campaign_id)
        return document or CanvasDocument(campaign_id=campaign_id)

    async def _enqueue(self, campaign_id: uuid.UUID, pending: _PendingOp) -> CanvasEdit:
        self._batches.setdefault(campaign_id, []).append(pending)
        # One committer per room: while it commits a batch, new ops queue for its next one. (Starting
        # another whenever the queue was empty let two transactions fight over the room's row lock.)
        if campaign_id not in self._committers:
            self._committers[campaign_id] = asyncio.create_task(self._commit_batches(campaign_id))
        return await pending.result

    async def _commit_batches(self, campaign_id: uuid.UUID) -> None:
        try:
            await self._commit_until_empty(campaign_id)
        finally:
            # In the task itself, not a done-callback (which runs a loop turn later): an op queued
            # after the last batch must find no committer and start one.
            del self._committers[campaign_id]

    async def _commit_until_empty(self, campaign_id: uuid.UUID) -> None:
        # Let ops that arrive in the same loop iteration join the first batch.
        await asyncio.sleep(0)
        while True:
            batch = self._batches.get(campaign_id)
            if not batch:
                self._batches.pop(campaign_id, None)
                return
            # Ops arriving from here on queue for the next transaction.
            taken, self._batches[campaign_id] = batch[:MAX_BATCH], batch[MAX_BATCH:]
            try:
                edits = await self._commit_batch(campaign_id, taken)
            except Exception as exc:  # the transaction failed: every op in it failed
                for pending in taken:
                    if not pending.result.done():
                        pending.result.set_exception(exc)
                continue
            for pending, edit in zip(taken, edits, strict=True):
                if isinstance(edit, CanvasEdit):
                    pending.result.set_result(edit)
                    # Persisted already: if the broadcast fails, rooms fill the gap from the database.
                    with contextlib.suppress(Exception):
                        await self._events.publish(room_channel(campaign_id), edit_event(edit, origin=pending.origin))
                else:
                    pending.result.set_exception(edit)

    async def _commit_batch(self, campaign_id: uuid.UUID, batch: list[_PendingOp]) -> list[CanvasEdit | AppError]:
        results: list[CanvasEdit | AppError] = []
        async with self._uow() as uow:
            campaign = await uow.campaigns.get(campaign_id)
            if campaign is None:
                return [CampaignNotFound() for _ in batch]
            document = await self._locked_document(uow, campaign_id)
            # Who the senders are now, in this transaction: an op sent after a sign-out or a role
            # change is refused even if its socket has not been told yet.
            senders = {p.principal.session_id for p in batch if p.principal is not None}
            live = await uow.principals.live(senders, now=self._clock.now()) if senders else {}
            edits: list[CanvasEdit] = []
            for pending in batch:
                sender = live.get(pending.principal.session_id) if pending.principal is not None else None
                if pending.principal is not None and sender is None:
                    results.append(SessionEnded())
                    continue
                if sender is not None and not can_read(sender, campaign):
                    results.append(CampaignNotFound())
                    continue
                if sender is not None and not can_edit(sender, campaign):
                    results.append(CampaignReadOnly())
                    continue
                try:
                    edits.append(self._next_edit(document, pending.op, pending.user_id, pending.client_op_id))
                    results.append(edits[-1])
                except CanvasOpRejected as exc:
                    results.append(exc)
            if edits:
                await uow.canvas.add_edits(edits)
                await uow.canvas.save_document(document)
                await uow.commit()
        # Reached only when the edits committed (or none were made, leaving the document as it was).
        self._remember(document)
        return results

    def _remember(self, document: CanvasDocument) -> None:
        self._documents[document.campaign_id] = document
        self._documents.move_to_end(document.campaign_id)
        while len(self._documents) > DOCUMENTS_KEPT:
            self._documents.popitem(last=False)

    async def _locked_document(self, uow: CanvasUnitOfWork, campaign_id: uuid.UUID) -> CanvasDocument:
        # The row lock makes versions per room strictly increasing and gap-free across processes.
        # The kept copy is taken out while a batch works on it: a batch that fails leaves none behind.
        kept = self._documents.pop(campaign_id, None)
        version = await uow.canvas.locked_version(campaign_id)
        if kept is not None and version is not None and kept.version == version:
            return kept
        document = await uow.canvas.get_document(campaign_id, for_update=True)
        if document is None:
            await uow.canvas.ensure_document(campaign_id)
            document = await uow.canvas.get_document(campaign_id, for_update=True)
        assert document is not None
        return document

    def _next_edit(
        self, document: CanvasDocument, op: dict[str, Any], user_id: uuid.UUID | None, client_op_id: str
    ) -> CanvasEdit:
        apply_op(document, op)  # raises CanvasOpRejected with the document unchanged
        document.version += 1
        document.updated_at = self._clock.now()
        return CanvasEdit(
            campaign_id=document.campaign_id,
            version=document.version,
            user_id=user_id,
            client_op_id=client_op_id,
            op=op,
            created_at=document.updated_at,
        )

    async def history(
        self, principal: Principal, campaign_id: uuid.UUID, *, page: int, page_size: int
    ) -> Page[CanvasEdit]:
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id)
            edits = await uow.canvas.history(campaign_id, page=page, page_size=page_size)
        lock = await self.layer_lock(principal, campaign_id)
        if lock.applies:  # the edit records of locked generated layers show what the layers would
            shown = [dataclasses.replace(e, op=lock.op(e.op)) if lock.touches(e.op) else e for e in edits.items]
            edits = dataclasses.replace(edits, items=shown)
        return edits

    # -- named versions and diffs -------------------------------------------------
    async def name_version(
        self, principal: Principal, campaign_id: uuid.UUID, version: int | None, name: str
    ) -> NamedVersion:
        """Name `version` (the current one when None); naming it again renames it. Editors only."""
        name = name.strip()
        if not name:
            raise ValidationFailed("A version needs a name.", errors=[FieldError("name", "must not be blank")])
        async with self._uow() as uow:
            campaign = await self._campaign(uow, principal, campaign_id)
            if not can_edit(principal, campaign):
                raise CampaignReadOnly()
            current = (await uow.canvas.get_document(campaign_id) or CanvasDocument(campaign_id=campaign_id)).version
            version = current if version is None else version
            if not 0 <= version <= current:
                raise VersionNotFound(f"Version {version} does not exist (the latest is {current}).")
            named = await uow.canvas.named_versions(campaign_id)
            if len(named) >= NAMED_VERSIONS_MAX and all(n.version != version for n in named):
                raise TooManyNamedVersions(f"A campaign keeps at most {NAMED_VERSIONS_MAX} named versions.")
            result = NamedVersion(
                campaign_id=campaign_id,
                version=version,
                name=name,
                named_by=principal.user_id,
                created_at=self._clock.now(),
            )
            await uow.canvas.name_version(result)
            await uow.commit()
        return result

    async def named_versions(self, principal: Principal, campaign_id: uuid.UUID) -> list[NamedVersion]:
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id)
            return await uow.canvas.named_versions(campaign_id)

    async def unname_version(self, principal: Principal, campaign_id: uuid.UUID, version: int) -> None:
        async with self._uow() as uow:
            campaign = await self._campaign(uow, principal, campaign_id)
            if not can_edit(principal, campaign):
                raise CampaignReadOnly()
            if not await uow.canvas.unname_version(campaign_id, version):
                raise VersionNotFound(f"Version {version} has no name.")
            await uow.commit()

    async def diff(self, principal: Principal, campaign_id: uuid.UUID, before: int, after: int) -> list[dict[str, Any]]:
        """The JSON Patch (RFC 6902) that turns version `before` into version `after`, as this viewer may see
        both (locked generated layers stay placeholders)."""
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id)
            current = (await uow.canvas.get_document(campaign_id) or CanvasDocument(campaign_id=campaign_id)).version
            for version in (before, after):
                if not 0 <= version <= current:
                    raise VersionNotFound(f"Version {version} does not exist (the latest is {current}).")
            edits = await uow.canvas.edits_up_to(campaign_id, max(before, after))
        lock = await self.layer_lock(principal, campaign_id)
        # One replay: up to the earlier version, a copy of that state, then on to the later one.
        low, high = sorted((before, after))
        document = replay(campaign_id, [e for e in edits if e.version <= low])
        states = {low: copy.deepcopy(document.state())}
        for edit in edits:
            if low < edit.version <= high:
                apply_op(document, edit.op)
        states[high] = document.state()
        return json_patch(lock.state(states[before]), lock.state(states[after]))

    async def restore(self, principal: Principal, campaign_id: uuid.UUID, version: int) -> CanvasEdit:
        """Restoring is itself an edit (replace_document), so history and rooms stay linear."""
        async with self._uow() as uow:
            campaign = await self._campaign(uow, principal, campaign_id)
            if not can_edit(principal, campaign):
                raise CampaignReadOnly()
            current = await uow.canvas.get_document(campaign_id)
            if current is None or not 0 <= version <= current.version:
                raise VersionNotFound(f"Version {version} does not exist.")
            past = replay(campaign_id, await uow.canvas.edits_up_to(campaign_id, version))
        op = {"kind": "replace_document", "document": past.state(), "restored_from": version}
        return await self.apply(principal, campaign_id, op, client_op_id=f"restore:{version}")

    async def export_png(self, principal: Principal, campaign_id: uuid.UUID) -> bytes:
        """Freemium: guests watch an ad first; free users get a watermarked half-size export.
        Viewers, a read-only role, do not export (the role matrix in the README)."""
        require_not_viewer(principal)
        document = await self.document(principal, campaign_id)
        await self._entitlements.require_ad_view(principal, since=self._clock.now() - timedelta(hours=1))
        policy = await self._entitlements.export_policy(principal)
        state = document.state()
        # Only the campaign's own media may be embedded: a layer naming someone
        # else's private object must not leak it through an export.
        prefix = f"campaigns/{campaign_id}/"
        images: dict[str, bytes] = {}
        for raw in self._renderer.image_keys(state):
            key = confined_key(raw, prefix)
            if key is not None:
                with contextlib.suppress(ObjectNotFound):
                    images[key] = await self._storage.get(key)
        png = await self._renderer.render(state, images, scale=policy.scale, watermark=policy.watermark)
        await self._usage.record(UsageKind.EXPORT, user_id=principal.user_id, subject_id=campaign_id)
        return png
