"""The talent board's use cases against in-memory ports: capacity, the application workflow, private
resumes, who sees an application, and that a refused command leaves nothing behind."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from app.core.errors import ValidationFailed
from app.domain.talent.entities import (
    ApplicationStatus,
    Difficulty,
    Job,
    JobType,
    LocationType,
    Project,
    ProjectType,
)
from app.domain.talent.errors import (
    AlreadyApplied,
    ApplicationNotFound,
    ApplicationTransition,
    ExperienceNotFound,
    JobClosed,
    NotJobPoster,
    NotParticipating,
    OwnJob,
    ProjectFull,
    ResumeMustBePrivate,
)
from app.domain.talent.services import TalentService
from tests.unit.fakes import MemoryDatabase, StepClock, member
from tests.unit.talent.fakes import MemoryTalentQueries, MemoryTalentUnitOfWork, talent_database


@pytest.fixture
def db() -> MemoryDatabase:
    return talent_database()


@pytest.fixture
def talent(db: MemoryDatabase) -> TalentService:
    return TalentService(uow=lambda: MemoryTalentUnitOfWork(db), queries=MemoryTalentQueries(db), clock=StepClock())


def _project(limit: int | None = None) -> Project:
    return Project(
        id=uuid.uuid4(),
        owner_id=uuid.uuid4(),
        title="Climate hack",
        project_type=ProjectType.HACKATHON,
        difficulty=Difficulty.BEGINNER,
        category="web",
        max_participants=limit,
    )


def _job(**changes: object) -> Job:
    job = Job(
        id=uuid.uuid4(),
        poster_id=uuid.uuid4(),
        title="Python developer",
        company="DiceyTech",
        job_type=JobType.FULL_TIME,
        location_type=LocationType.REMOTE,
    )
    for name, value in changes.items():
        setattr(job, name, value)
    return job


# -- projects ----------------------------------------------------------------------------------------


async def test_a_project_takes_members_up_to_its_capacity_and_a_second_join_is_free(talent: TalentService) -> None:
    owner, first, second, third = member(), member(), member(), member()
    project = await talent.create_project(owner, _project(limit=2))
    assert (await talent.join(first, project.id)).participant_count == 1
    assert (await talent.join(first, project.id)).participant_count == 1  # joining twice counts once
    assert (await talent.join(second, project.id)).participant_count == 2
    with pytest.raises(ProjectFull):
        await talent.join(third, project.id)
    await talent.leave(second, project.id)
    assert (await talent.join(third, project.id)).participant_count == 2


async def test_leaving_a_project_you_are_not_in_is_refused(talent: TalentService) -> None:
    project = await talent.create_project(member(), _project())
    with pytest.raises(NotParticipating):
        await talent.leave(member(), project.id)


async def test_a_project_cannot_end_before_it_starts(talent: TalentService, db: MemoryDatabase) -> None:
    project = _project()
    project.start_date, project.end_date = date(2026, 12, 10), date(2026, 12, 1)
    with pytest.raises(ValidationFailed):
        await talent.create_project(member(), project)
    assert db.tables["projects"] == {}


# -- jobs and applications ---------------------------------------------------------------------------


async def test_nobody_applies_to_their_own_or_a_closed_job_or_twice(talent: TalentService) -> None:
    poster, applicant = member(), member()
    job = await talent.post_job(poster, _job())
    with pytest.raises(OwnJob):
        await talent.apply(poster, job.id, cover_letter="", resume_media_id=None)
    await talent.apply(applicant, job.id, cover_letter="Hello", resume_media_id=None)
    with pytest.raises(AlreadyApplied):
        await talent.apply(applicant, job.id, cover_letter="Again", resume_media_id=None)
    closed = await talent.post_job(poster, _job(open=False))
    with pytest.raises(JobClosed):
        await talent.apply(applicant, closed.id, cover_letter="", resume_media_id=None)


async def test_a_resume_must_be_your_own_private_upload(talent: TalentService, db: MemoryDatabase) -> None:
    poster, applicant = member(), member()
    job = await talent.post_job(poster, _job())
    public_file, someone_elses, private_file = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    db.tables["uploads"].update(
        {
            public_file: (applicant.user_id, True),
            someone_elses: (poster.user_id, False),
            private_file: (applicant.user_id, False),
        }
    )
    with pytest.raises(ResumeMustBePrivate):
        await talent.apply(applicant, job.id, cover_letter="", resume_media_id=public_file)
    with pytest.raises(ValidationFailed):
        await talent.apply(applicant, job.id, cover_letter="", resume_media_id=someone_elses)
    with pytest.raises(ValidationFailed):
        await talent.apply(applicant, job.id, cover_letter="", resume_media_id=uuid.uuid4())
    assert db.tables["applications"] == {}  # nothing half-written by the refusals
    application = await talent.apply(applicant, job.id, cover_letter="", resume_media_id=private_file)
    assert application.resume_media_id == private_file


async def test_an_application_is_seen_by_its_applicant_and_the_poster_only(talent: TalentService) -> None:
    poster, applicant, stranger = member(), member(), member()
    job = await talent.post_job(poster, _job())
    application = await talent.apply(applicant, job.id, cover_letter="", resume_media_id=None)
    assert (await talent.application(applicant, application.id)).id == application.id
    assert (await talent.application(poster, application.id)).id == application.id
    with pytest.raises(ApplicationNotFound):  # not 403: a stranger learns nothing about it
        await talent.application(stranger, application.id)
    with pytest.raises(NotJobPoster):
        await talent.applications_for_job(applicant, job.id)
    assert [a.id for a in await talent.applications_for_job(poster, job.id)] == [application.id]
    assert [a.id for a in await talent.my_applications(applicant)] == [application.id]
    assert await talent.my_applications(stranger) == []


async def test_the_poster_moves_an_application_along_the_flow_only(talent: TalentService) -> None:
    poster, applicant = member(), member()
    job = await talent.post_job(poster, _job())
    application = await talent.apply(applicant, job.id, cover_letter="", resume_media_id=None)
    with pytest.raises(NotJobPoster):
        await talent.move_application(applicant, application.id, ApplicationStatus.ACCEPTED)
    with pytest.raises(ApplicationNotFound):
        await talent.move_application(member(), application.id, ApplicationStatus.REVIEWED)
    moved = await talent.move_application(poster, application.id, ApplicationStatus.REVIEWED)
    assert moved.status is ApplicationStatus.REVIEWED
    with pytest.raises(ApplicationTransition):
        await talent.move_application(poster, application.id, ApplicationStatus.PENDING)
    assert (await talent.application(applicant, application.id)).status is ApplicationStatus.REVIEWED


async def test_salary_bounds_must_be_in_order(talent: TalentService) -> None:
    with pytest.raises(ValidationFailed):
        await talent.post_job(member(), _job(salary_min=10, salary_max=5))


# -- experience --------------------------------------------------------------------------------------


async def test_experience_is_validated_and_changed_by_its_owner_only(talent: TalentService) -> None:
    owner, other = member(), member()
    with pytest.raises(ValidationFailed):
        await talent.add_experience(
            owner, kind="work", title="  ", organization="X", start_date=date(2024, 1, 1), end_date=None, description=""
        )
    item = await talent.add_experience(
        owner,
        kind="work",
        title=" Engineer ",
        organization="X",
        start_date=date(2024, 1, 1),
        end_date=None,
        description="",
    )
    assert item.title == "Engineer"
    with pytest.raises(ExperienceNotFound):
        await talent.update_experience(other, item.id, {"title": "Mine now"})
    with pytest.raises(ValidationFailed):
        await talent.update_experience(owner, item.id, {"end_date": date(2023, 1, 1)})
    assert (await talent.experiences(owner.user_id))[0].end_date is None  # the refused change left nothing
    with pytest.raises(ExperienceNotFound):
        await talent.delete_experience(other, item.id)
    await talent.delete_experience(owner, item.id)
    assert await talent.experiences(owner.user_id) == []
