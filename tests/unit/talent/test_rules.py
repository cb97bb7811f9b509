"""Talent rules on the entities: project capacity and the application workflow."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from app.domain.talent.entities import Application, ApplicationStatus, Difficulty, Project, ProjectType
from app.domain.talent.errors import ApplicationTransition, NotJobPoster, ProjectFull

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _project(limit: int | None, count: int) -> Project:
    return Project(
        id=uuid.uuid4(),
        owner_id=uuid.uuid4(),
        title="Hack",
        project_type=ProjectType.HACKATHON,
        difficulty=Difficulty.BEGINNER,
        category="web",
        max_participants=limit,
        participant_count=count,
    )


def test_a_full_project_refuses_and_an_open_one_accepts() -> None:
    _project(3, 2).check_room()
    _project(None, 10_000).check_room()
    with pytest.raises(ProjectFull):
        _project(3, 3).check_room()


def test_only_the_poster_moves_an_application_and_only_along_the_flow() -> None:
    poster, applicant = uuid.uuid4(), uuid.uuid4()
    application = Application(
        id=uuid.uuid4(),
        job_id=uuid.uuid4(),
        applicant_id=applicant,
        cover_letter="",
        resume_media_id=None,
        poster_id=poster,
    )
    with pytest.raises(NotJobPoster):
        application.move_to(ApplicationStatus.REVIEWED, by=applicant, at=NOW)
    application.move_to(ApplicationStatus.REVIEWED, by=poster, at=NOW)
    assert application.status is ApplicationStatus.REVIEWED and application.updated_at == NOW
    with pytest.raises(ApplicationTransition):
        application.move_to(ApplicationStatus.PENDING, by=poster, at=NOW)
    assert application.status is ApplicationStatus.REVIEWED
