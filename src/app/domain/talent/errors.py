"""Every problem `code` this module answers with: one named error class each."""

from __future__ import annotations

from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class ProjectNotFound(NotFound):
    code = "project-not-found"


class JobNotFound(NotFound):
    code = "job-not-found"


class JobClosed(Conflict):
    code = "job-closed"


class OwnJob(ValidationFailed):
    code = "own-job"


class ApplicationNotFound(NotFound):
    code = "application-not-found"


class NotJobPoster(PermissionDenied):
    code = "not-job-poster"


class ExperienceNotFound(NotFound):
    code = "experience-not-found"


class ProjectFull(Conflict):
    code = "project-full"


class NotParticipating(NotFound):
    code = "not-participating"


class ApplicationTransition(ValidationFailed):
    code = "application-transition"


class ResumeMustBePrivate(ValidationFailed):
    code = "resume-must-be-private"


class AlreadyApplied(Conflict):
    code = "already-applied"
