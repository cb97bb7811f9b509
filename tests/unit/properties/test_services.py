"""CRE Studio property rules against in-memory ports: admins and managers change properties, everyone
signed in reads them; values and filters are checked; derived campaign names always fit."""

from __future__ import annotations

import pytest

from app.core.errors import ValidationFailed
from app.domain.accounts.errors import RoleRequired
from app.domain.campaigns.entities import NAME_MAX_LENGTH
from app.domain.kernel import Role
from app.domain.properties.entities import Property, PropertyFilter, PropertyType
from app.domain.properties.errors import PropertyNotFound
from app.domain.properties.services import PropertyService, default_campaign_name, marketing_brief
from tests.unit.fakes import MemoryDatabase, StepClock, member
from tests.unit.properties.fakes import MemoryPropertiesUnitOfWork, MemoryPropertyQueries


@pytest.fixture
def db() -> MemoryDatabase:
    return MemoryDatabase("properties")


@pytest.fixture
def properties(db: MemoryDatabase) -> PropertyService:
    return PropertyService(
        uow=lambda: MemoryPropertiesUnitOfWork(db), queries=MemoryPropertyQueries(db), clock=StepClock()
    )


OFFICE = {"name": "Riverside Offices", "property_type": PropertyType.OFFICE, "city": "Pune"}


async def test_only_admins_and_managers_change_properties(properties: PropertyService, db: MemoryDatabase) -> None:
    manager, admin = member(Role.MANAGER), member(Role.ADMIN)
    prop = await properties.create(manager, dict(OFFICE))
    for reader in (member(), member(Role.VIEWER)):
        assert (await properties.get(prop.id)).name == "Riverside Offices"
        with pytest.raises(RoleRequired):
            await properties.create(reader, dict(OFFICE))
        with pytest.raises(RoleRequired):
            await properties.update(reader, prop.id, {"city": "Mumbai"})
        with pytest.raises(RoleRequired):
            await properties.delete(reader, prop.id)
    assert (await properties.update(admin, prop.id, {"city": "Mumbai"})).city == "Mumbai"
    await properties.delete(admin, prop.id)
    with pytest.raises(PropertyNotFound):
        await properties.get(prop.id)
    assert db.tables["properties"] == {}


async def test_values_and_filters_are_checked_and_refusals_store_nothing(
    properties: PropertyService, db: MemoryDatabase
) -> None:
    manager = member(Role.MANAGER)
    with pytest.raises(ValidationFailed):
        await properties.create(manager, {**OFFICE, "price_minor": -1})
    with pytest.raises(ValidationFailed):
        await properties.create(manager, {**OFFICE, "size_sqft": 0})
    assert db.tables["properties"] == {}
    prop = await properties.create(manager, {**OFFICE, "price_minor": 100})
    with pytest.raises(ValidationFailed):
        await properties.update(manager, prop.id, {"owner_id": manager.user_id})  # not editable
    with pytest.raises(ValidationFailed):
        await properties.update(manager, prop.id, {"size_sqft": -5})
    assert (await properties.get(prop.id)).size_sqft is None
    with pytest.raises(ValidationFailed):
        await properties.search(PropertyFilter(min_price=10, max_price=5), page=1, page_size=20)
    with pytest.raises(ValidationFailed):
        await properties.search(PropertyFilter(min_size=10, max_size=5), page=1, page_size=20)
    assert (await properties.search(PropertyFilter(city="PUNE"), page=1, page_size=20)).total == 1


def test_a_derived_campaign_name_always_fits() -> None:
    assert default_campaign_name("Tower") == "Tower campaign"
    long = default_campaign_name("x" * 500)
    assert len(long) <= NAME_MAX_LENGTH and long.endswith(" campaign")


def test_the_marketing_brief_describes_the_property() -> None:
    prop = Property(
        id=member().user_id,
        owner_id=member().user_id,
        name="Dock 9",
        property_type=PropertyType.MIXED_USE,
        city="Goa",
        size_sqft=12000,
        address="9 Harbour Rd",
    )
    assert marketing_brief(prop) == "mixed use property in Goa. 12,000 sq ft. 9 Harbour Rd"
