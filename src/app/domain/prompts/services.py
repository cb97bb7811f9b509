"""Prompt template use cases: CRUD with versions, listing, and runs through the text generator (as jobs)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.ids import new_id
from app.domain.gamification.services import charge_ai_run
from app.domain.generation.errors import ProviderFailed
from app.domain.generation.ports import TextGenerator
from app.domain.generation.services import enforce_ai_quota
from app.domain.kernel import Page, Principal
from app.domain.outbox import RunPrompt
from app.domain.prompts.entities import PromptRun, PromptTemplate, RunStatus, TemplateVersion, render, variables_of
from app.domain.prompts.errors import NotTemplateOwner, RunNotFound, TemplateNotFound, VersionNotFound
from app.domain.prompts.ports import PromptQueries, PromptsUnitOfWork, PromptsUnitOfWorkFactory

RUN_SYSTEM = "You are a helpful assistant. Follow the user's instructions precisely."
_EDITABLE = {"title", "description", "category", "is_public", "body"}


def _check_body(body: str) -> None:
    if not body.strip():
        raise ValidationFailed("A template needs a body.", errors=[FieldError("body", "must not be blank")])
    if len(variables_of(body)) > 50:
        raise ValidationFailed("Too many variables.", errors=[FieldError("body", "at most 50 distinct variables")])


@dataclass(frozen=True, slots=True)
class NewTemplate:
    title: str
    body: str
    description: str = ""
    category: str = "general"
    is_public: bool = False


class PromptService:
    def __init__(
        self,
        *,
        uow: PromptsUnitOfWorkFactory,
        queries: PromptQueries,
        text: TextGenerator,
        clock: Clock,
        quota_per_hour: int,
    ) -> None:
        self._uow = uow
        self._queries = queries
        self._text = text
        self._clock = clock
        self._quota = quota_per_hour

    async def _visible(
        self, uow: PromptsUnitOfWork, principal: Principal, template_id: uuid.UUID, *, for_update: bool = False
    ) -> PromptTemplate:
        template = await uow.templates.get(template_id, for_update=for_update)
        if template is None or not (template.is_public or template.owner_id == principal.user_id):
            raise TemplateNotFound()
        return template

    async def _owned(self, uow: PromptsUnitOfWork, principal: Principal, template_id: uuid.UUID) -> PromptTemplate:
        template = await self._visible(uow, principal, template_id, for_update=True)
        if template.owner_id != principal.user_id:
            raise NotTemplateOwner("Only the author can change this template.")
        return template

    async def create(self, principal: Principal, data: NewTemplate) -> PromptTemplate:
        _check_body(data.body)
        now = self._clock.now()
        template = PromptTemplate(
            id=new_id(),
            owner_id=principal.user_id,
            title=data.title.strip(),
            body=data.body,
            description=data.description,
            category=data.category.strip().lower() or "general",
            is_public=data.is_public,
            created_at=now,
            updated_at=now,
        )
        async with self._uow() as uow:
            await uow.templates.add(template)
            await uow.templates.add_version(
                TemplateVersion(
                    template_id=template.id, version=1, body=data.body, author_id=principal.user_id, created_at=now
                )
            )
            await uow.commit()
        return template

    async def get(self, principal: Principal, template_id: uuid.UUID) -> PromptTemplate:
        async with self._uow() as uow:
            return await self._visible(uow, principal, template_id)

    async def search(
        self, principal: Principal, *, query: str | None, category: str | None, mine: bool, page: int, page_size: int
    ) -> Page[PromptTemplate]:
        return await self._queries.search(
            viewer_id=principal.user_id,
            query=query,
            category=category.lower() if category else None,
            mine=mine,
            page=page,
            page_size=page_size,
        )

    async def update(self, principal: Principal, template_id: uuid.UUID, changes: dict[str, Any]) -> PromptTemplate:
        unknown = set(changes) - _EDITABLE
        if unknown:
            raise ValidationFailed(
                "These fields cannot be changed.", errors=[FieldError(f, "not editable") for f in sorted(unknown)]
            )
        async with self._uow() as uow:
            template = await self._owned(uow, principal, template_id)
            now = self._clock.now()
            new_body = changes.pop("body", None)
            if new_body is not None and new_body != template.body:
                _check_body(new_body)
                template.version += 1
                template.body = new_body
                await uow.templates.add_version(
                    TemplateVersion(
                        template_id=template.id,
                        version=template.version,
                        body=new_body,
                        author_id=principal.user_id,
                        created_at=now,
                    )
                )
            for name, value in changes.items():
                setattr(template, name, value.strip().lower() if name == "category" else value)
            template.updated_at = now
            await uow.templates.update(template)
            await uow.commit()
            return template

    async def delete(self, principal: Principal, template_id: uuid.UUID) -> None:
        async with self._uow() as uow:
            await self._owned(uow, principal, template_id)
            await uow.templates.delete(template_id)
            await uow.commit()

    async def versions(self, principal: Principal, template_id: uuid.UUID) -> list[TemplateVersion]:
        async with self._uow() as uow:
            await self._visible(uow, principal, template_id)
            return await uow.templates.versions(template_id)

    # -- runs ------------------------------------------------------------------------
    async def request_run(
        self, principal: Principal, template_id: uuid.UUID, values: dict[str, str], *, version: int | None = None
    ) -> PromptRun:
        async with self._uow() as uow:
            template = await self._visible(uow, principal, template_id)
            body = template.body
            chosen = template.version
            if version is not None and version != template.version:
                old = await uow.templates.get_version(template_id, version)
                if old is None:
                    raise VersionNotFound(f"Version {version} does not exist.")
                body, chosen = old.body, version
            rendered = render(body, values)
            now = self._clock.now()
            await enforce_ai_quota(uow.usage, principal.user_id, now=now, per_hour=self._quota)
            run = PromptRun(
                id=new_id(),
                template_id=template_id,
                version=chosen,
                user_id=principal.user_id,
                rendered_prompt=rendered,
                variables=dict(values),
                created_at=now,
            )
            await uow.runs.add(run)
            await charge_ai_run(uow.credits, principal.user_id, reference=f"prompt-run:{run.id}")
            uow.outbox.add(RunPrompt(run.id))
            await uow.commit()
            return run

    async def get_run(self, principal: Principal, run_id: uuid.UUID) -> PromptRun:
        async with self._uow() as uow:
            run = await uow.runs.get(run_id)
        if run is None or run.user_id != principal.user_id:
            raise RunNotFound("Run not found.")
        return run

    async def execute_run(self, run_id: uuid.UUID, *, final_attempt: bool) -> RunStatus | None:
        """Job: call the text generator; the last failed attempt records `failed` with the reason."""
        async with self._uow() as uow:
            run = await uow.runs.get(run_id, for_update=True)
            if run is None or run.status in (RunStatus.COMPLETED, RunStatus.FAILED):
                return None
            run.status = RunStatus.PROCESSING
            run.attempts += 1
            await uow.runs.update(run)
            await uow.commit()
        try:
            output = await self._text.complete(system=RUN_SYSTEM, prompt=run.rendered_prompt, max_tokens=1500)
        except Exception as exc:
            reason = exc.detail if isinstance(exc, ProviderFailed) else f"{type(exc).__name__}: {exc}"
            await self._finish(run_id, RunStatus.FAILED if final_attempt else RunStatus.PENDING, error=reason)
            if final_attempt:
                return RunStatus.FAILED
            raise
        await self._finish(run_id, RunStatus.COMPLETED, output=output)
        return RunStatus.COMPLETED

    async def _finish(self, run_id: uuid.UUID, status: RunStatus, *, output: str = "", error: str = "") -> None:
        async with self._uow() as uow:
            run = await uow.runs.get(run_id, for_update=True)
            if run is None:
                return
            run.status = status
            run.output = output
            run.error = error[:2000]
            if status in (RunStatus.COMPLETED, RunStatus.FAILED):
                run.completed_at = self._clock.now()
            await uow.runs.update(run)
            await uow.commit()
