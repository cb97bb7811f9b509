"""PromptCraft community: favourites (toggle, list mine) and ratings (1-5 stars, one per user and template,
editable; never one's own), on templates the user can see."""

from __future__ import annotations

import uuid

from app.core.errors import FieldError, ValidationFailed
from app.domain.kernel import Page, Principal
from app.domain.prompts.entities import PromptTemplate, RatingSummary
from app.domain.prompts.errors import SelfRating, TemplateNotFound
from app.domain.prompts.ports import PromptsUnitOfWork, PromptsUnitOfWorkFactory


async def _visible(uow: PromptsUnitOfWork, principal: Principal, template_id: uuid.UUID) -> PromptTemplate:
    template = await uow.templates.get(template_id)
    if template is None or not (template.is_public or template.owner_id == principal.user_id):
        raise TemplateNotFound()
    return template


class CommunityService:
    def __init__(self, *, uow: PromptsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def favourite(self, principal: Principal, template_id: uuid.UUID, *, on: bool) -> bool:
        """Sets or clears the favourite; returns whether it is one now."""
        async with self._uow() as uow:
            await _visible(uow, principal, template_id)
            if on:
                await uow.favourites.add(principal.user_id, template_id)
            else:
                await uow.favourites.remove(principal.user_id, template_id)
            await uow.commit()
        return on

    async def favourites(self, principal: Principal, *, page: int, page_size: int) -> Page[PromptTemplate]:
        async with self._uow() as uow:
            return await uow.favourites.of_user(principal.user_id, page=page, page_size=page_size)

    async def rate(self, principal: Principal, template_id: uuid.UUID, stars: int) -> RatingSummary:
        if not 1 <= stars <= 5:
            raise ValidationFailed("Stars are 1 to 5.", errors=[FieldError("stars", "must be 1 to 5")])
        async with self._uow() as uow:
            template = await _visible(uow, principal, template_id)
            if template.owner_id == principal.user_id:
                raise SelfRating()
            await uow.ratings.put(principal.user_id, template_id, stars)
            summary = await uow.ratings.summary(template_id, principal.user_id)
            await uow.commit()
        return summary

    async def rating(self, principal: Principal, template_id: uuid.UUID) -> RatingSummary:
        async with self._uow() as uow:
            await _visible(uow, principal, template_id)
            return await uow.ratings.summary(template_id, principal.user_id)
