"""Responsive search ad assets: the Google Ads limits on every edit, locked items surviving a run, and the
Google Ads Editor CSV layout."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from app.core.errors import ValidationFailed
from app.domain.campaigns.entities import Campaign
from app.domain.generation.ad_assets import check_assets, google_ads_editor_csv, merged_with_run
from app.domain.generation.entities import AdAsset, AdAssets


def _h(*texts: str) -> list[AdAsset]:
    return [AdAsset(text=t) for t in texts]


def test_the_limits_hold_for_every_edit() -> None:
    check_assets(_h("One", "Two", "Three"), _h("First description", "Second description"))
    for headlines, descriptions, field in (
        (_h("One", "Two"), _h("a", "b"), "headlines"),
        (_h(*(f"H{n}" for n in range(16))), _h("a", "b"), "headlines"),
        (_h("One", "Two", "x" * 31), _h("a", "b"), "headlines[2].text"),
        (_h("One", "Two", "three"), _h("a"), "descriptions"),
        (_h("One", "Two", "Three"), _h("a", "b", "c", "d", "e"), "descriptions"),
        (_h("One", "Two", "Three"), _h("a", "y" * 91), "descriptions[1].text"),
        (_h("One", "one", "Three"), _h("a", "b"), "headlines[1].text"),
        ([AdAsset(text="One", pin=4), *_h("Two", "Three")], _h("a", "b"), "headlines[0].pin"),
        (_h("One", "Two", "Three"), [AdAsset(text="a", pin=3), *_h("b")], "descriptions[0].pin"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            check_assets(headlines, descriptions)
        assert field in {e.field for e in caught.value.errors}


def test_a_run_keeps_locked_items_with_their_pins_and_replaces_the_rest() -> None:
    current = AdAssets(
        campaign_id=uuid.uuid4(),
        headlines=[AdAsset(text="Keep me", pin=1, locked=True), *_h("Old two", "Old three")],
        descriptions=[*_h("Old description"), AdAsset(text="Locked description", locked=True)],
    )
    fresh = [f"New {n}" for n in range(15)] + ["keep me"]
    merged = merged_with_run(current, fresh, ["New d1", "Locked description", "New d2", "New d3", "New d4"])
    assert merged.headlines[0] == AdAsset(text="Keep me", pin=1, locked=True)
    assert [h.text for h in merged.headlines[1:]] == [f"New {n}" for n in range(14)]  # 15 in all
    assert [d.text for d in merged.descriptions] == ["Locked description", "New d1", "New d2", "New d3"]
    first = merged_with_run(None, ["A", "B", "C"], ["D", "E"])
    assert [h.text for h in first.headlines] == ["A", "B", "C"] and not any(h.locked for h in first.headlines)


def test_the_csv_is_one_row_in_the_google_ads_editor_layout() -> None:
    campaign = Campaign(id=uuid.uuid4(), owner_id=uuid.uuid4(), name='Riverside, "Phase 2"')
    assets = AdAssets(
        campaign_id=campaign.id,
        headlines=[AdAsset(text="Offices by the river", pin=1), *_h("Two", "Three")],
        descriptions=[*_h("First description"), AdAsset(text="Second, with a comma", pin=2)],
    )
    rows = list(csv.reader(io.StringIO(google_ads_editor_csv(campaign, assets))))
    header, row = rows
    assert header[:5] == ["Campaign", "Ad group", "Ad type", "Headline 1", "Headline 1 position"]
    assert header[-2:] == ["Description 4", "Description 4 position"] and len(header) == 3 + 30 + 8
    record = dict(zip(header, row, strict=True))
    assert record["Campaign"] == 'Riverside, "Phase 2"' and record["Ad type"] == "Responsive search ad"
    assert (record["Headline 1"], record["Headline 1 position"]) == ("Offices by the river", "1")
    assert (record["Headline 4"], record["Headline 15 position"]) == ("", "")
    assert (record["Description 2"], record["Description 2 position"]) == ("Second, with a comma", "2")
