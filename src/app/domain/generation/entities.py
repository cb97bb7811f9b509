"""AI generations (AdVenture, CRE Studio): requests, their lifecycle and ad copy rules."""

from __future__ import annotations

import enum
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class GenerationKind(enum.StrEnum):
    AD_COPY = "ad_copy"
    BACKGROUND = "background"
    PRODUCT_IMAGE = "product_image"
    FULL_AD = "full_ad"


class CopyPart(enum.StrEnum):
    """One part of a campaign's ad copy, regenerated alone (the other part is kept from the last run)."""

    HEADLINES = "headlines"
    DESCRIPTIONS = "descriptions"


class GenerationStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(slots=True, kw_only=True)
class Generation:
    id: uuid.UUID
    campaign_id: uuid.UUID
    user_id: uuid.UUID
    kind: GenerationKind
    brief: str = ""
    status: GenerationStatus = GenerationStatus.PENDING
    error: str = ""
    attempts: int = 0
    result: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    result_locked: bool = False  # not stored: set when a guest has not watched the ad yet
    only: CopyPart | None = None  # ad copy: regenerate just this part


# Google Ads responsive search ads
HEADLINE_MAX = 30
DESCRIPTION_MAX = 90
HEADLINES_MAX_COUNT = 15
DESCRIPTIONS_MAX_COUNT = 4
HEADLINES_MIN_COUNT = 3
DESCRIPTIONS_MIN_COUNT = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class AdCopy:
    headlines: list[str]
    descriptions: list[str]


def fit_words(text: str, limit: int) -> str | None:
    """Shorten at a word boundary to at most `limit` characters; None if even one word is too long.

    Never cuts inside a word; trailing punctuation left dangling is trimmed.
    """
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text or None
    words = text.split(" ")
    kept: list[str] = []
    for word in words:
        candidate = " ".join([*kept, word])
        if len(candidate) > limit:
            break
        kept.append(word)
    shortened = " ".join(kept).rstrip(" ,;:-–—&")
    return shortened or None


def repair_ad_copy(headlines: list[str], descriptions: list[str]) -> AdCopy | None:
    """Apply the RSA limits: dedupe, shorten at word boundaries, cap counts.

    Returns None when too little usable copy is left (the caller retries the model).
    """

    def clean(items: list[str], limit: int, max_count: int) -> list[str]:
        seen: set[str] = set()
        result: list[str] = []
        for item in items:
            fitted = fit_words(str(item), limit)
            if fitted and fitted.lower() not in seen:
                seen.add(fitted.lower())
                result.append(fitted)
        return result[:max_count]

    fixed_headlines = clean(headlines, HEADLINE_MAX, HEADLINES_MAX_COUNT)
    fixed_descriptions = clean(descriptions, DESCRIPTION_MAX, DESCRIPTIONS_MAX_COUNT)
    if len(fixed_headlines) < HEADLINES_MIN_COUNT or len(fixed_descriptions) < DESCRIPTIONS_MIN_COUNT:
        return None
    return AdCopy(headlines=fixed_headlines, descriptions=fixed_descriptions)


HEADLINE_PINS = (1, 2, 3)
DESCRIPTION_PINS = (1, 2)


@dataclass(slots=True, kw_only=True)
class AdAsset:
    text: str
    pin: int | None = None  # the position it must show in; None: any
    locked: bool = False  # a re-run keeps it


@dataclass(slots=True, kw_only=True)
class AdAssets:
    campaign_id: uuid.UUID
    headlines: list[AdAsset] = field(default_factory=list)
    descriptions: list[AdAsset] = field(default_factory=list)
    updated_at: datetime | None = None


# Fonts a brand kit may name: the families the studio ships and lays creatives out with. (The PNG export
# draws every text in its one bundled font, at the layer's size.)
BRAND_FONTS = frozenset(
    {"Inter", "Roboto", "Open Sans", "Lato", "Montserrat", "Poppins", "Playfair Display", "Merriweather", "Oswald"}
)
BRAND_COLORS_MAX = 8
DEFAULT_TEXT_COLORS = ("#111111", "#333333")


@dataclass(slots=True, kw_only=True)
class BrandKit:
    """A user's brand (AdVenture): colours (the first is the primary), a heading and a body font, and a logo
    (one of the user's image uploads). Generations lay their text out with it."""

    user_id: uuid.UUID
    colors: list[str] = field(default_factory=list)  # "#rrggbb"
    heading_font: str = "Inter"
    body_font: str = "Inter"
    logo_media_id: uuid.UUID | None = None
    updated_at: datetime | None = None

    def text_style(self, role: str) -> dict[str, str]:
        """Canvas text props for a headline ("heading") or body text, from the kit."""
        heading = role == "heading"
        colors = self.colors or list(DEFAULT_TEXT_COLORS)
        fill = colors[0] if heading else (colors[1] if len(colors) > 1 else colors[0])
        return {"fontFamily": self.heading_font if heading else self.body_font, "fill": fill}
