"""DiceyTech talent board: skills, experience/education, projects & hackathons, jobs and applications."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.talent.errors import ApplicationTransition, NotJobPoster, ProjectFull


class ProjectType(enum.StrEnum):
    """The DiceyTech spec's kinds (hackathon, practice, personal); `project` is the general one."""

    PROJECT = "project"
    HACKATHON = "hackathon"
    PRACTICE = "practice"
    PERSONAL = "personal"


class Difficulty(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class JobType(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    CONTRACT = "contract"
    INTERNSHIP = "internship"


class LocationType(enum.StrEnum):
    REMOTE = "remote"
    ONSITE = "onsite"
    HYBRID = "hybrid"


class ApplicationStatus(enum.StrEnum):
    PENDING = "pending"
    REVIEWED = "reviewed"
    INTERVIEWED = "interviewed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# The poster moves an application forward; any open stage may end in rejection.
APPLICATION_FLOW: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.PENDING: frozenset({ApplicationStatus.REVIEWED, ApplicationStatus.REJECTED}),
    ApplicationStatus.REVIEWED: frozenset({ApplicationStatus.INTERVIEWED, ApplicationStatus.REJECTED}),
    ApplicationStatus.INTERVIEWED: frozenset({ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED}),
}


@dataclass(slots=True, kw_only=True)
class Experience:
    id: uuid.UUID
    user_id: uuid.UUID
    kind: str  # "work" | "education"
    title: str  # role or degree
    organization: str  # company or school
    start_date: date
    end_date: date | None = None
    description: str = ""


@dataclass(slots=True, kw_only=True)
class Project:
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    project_type: ProjectType
    difficulty: Difficulty
    category: str
    description: str = ""
    technologies: list[str] = field(default_factory=list)
    start_date: date | None = None
    end_date: date | None = None
    prize: str = ""
    max_participants: int | None = None
    participant_count: int = 0
    created_at: datetime | None = None

    def check_room(self) -> None:
        """Raise ProjectFull when no one else may join (call with the project's row locked)."""
        if self.max_participants is not None and self.participant_count >= self.max_participants:
            raise ProjectFull("This project is full.")


@dataclass(slots=True, kw_only=True)
class Job:
    id: uuid.UUID
    poster_id: uuid.UUID
    title: str
    company: str
    job_type: JobType
    location_type: LocationType
    location: str = ""
    description: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    currency: str = "USD"
    skills: list[str] = field(default_factory=list)
    open: bool = True
    created_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Application:
    id: uuid.UUID
    job_id: uuid.UUID
    applicant_id: uuid.UUID
    cover_letter: str
    resume_media_id: uuid.UUID | None
    status: ApplicationStatus = ApplicationStatus.PENDING
    poster_id: uuid.UUID | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def move_to(self, status: ApplicationStatus, *, by: uuid.UUID, at: datetime) -> None:
        """Only the job's poster moves an application, and only along APPLICATION_FLOW."""
        if by != self.poster_id:
            raise NotJobPoster("Only the poster moves an application along.")
        if status not in APPLICATION_FLOW.get(self.status, frozenset()):
            raise ApplicationTransition(f"An application cannot go from {self.status.value} to {status.value}.")
        self.status = status
        self.updated_at = at
