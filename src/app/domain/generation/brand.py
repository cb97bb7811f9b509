"""Brand kits (AdVenture): each user's colours, fonts (from the shipped set) and logo; generations lay their
text out with the kit of the campaign's owner."""

from __future__ import annotations

import re
import uuid

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.domain.generation.entities import BRAND_COLORS_MAX, BRAND_FONTS, BrandKit
from app.domain.generation.ports import GenerationUnitOfWorkFactory
from app.domain.kernel import Principal

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class BrandService:
    def __init__(self, *, uow: GenerationUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def get(self, principal: Principal) -> BrandKit:
        async with self._uow() as uow:
            return await uow.brand_kits.get(principal.user_id) or BrandKit(user_id=principal.user_id)

    async def put(
        self,
        principal: Principal,
        *,
        colors: list[str],
        heading_font: str,
        body_font: str,
        logo_media_id: uuid.UUID | None,
    ) -> BrandKit:
        errors = []
        if len(colors) > BRAND_COLORS_MAX:
            errors.append(FieldError("colors", f"at most {BRAND_COLORS_MAX}"))
        errors += [FieldError(f"colors[{n}]", "a #rrggbb colour") for n, c in enumerate(colors) if not _HEX.match(c)]
        for name, font in (("heading_font", heading_font), ("body_font", body_font)):
            if font not in BRAND_FONTS:
                errors.append(FieldError(name, f"one of {', '.join(sorted(BRAND_FONTS))}"))
        async with self._uow() as uow:
            if logo_media_id is not None:
                found = await uow.uploads.owner_of(logo_media_id)
                if found is None or found[0] != principal.user_id:
                    errors.append(FieldError("logo_media_id", "not a finished upload of yours"))
            if errors:
                raise ValidationFailed("The brand kit is not valid.", errors=errors)
            kit = BrandKit(
                user_id=principal.user_id,
                colors=list(dict.fromkeys(c.lower() for c in colors)),
                heading_font=heading_font,
                body_font=body_font,
                logo_media_id=logo_media_id,
                updated_at=self._clock.now(),
            )
            await uow.brand_kits.put(kit)
            await uow.commit()
        return kit
