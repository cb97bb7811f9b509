from __future__ import annotations

from app.core.errors import AppError, Conflict, NotFound, TooManyRequests


class GenerationNotFound(NotFound):
    code = "generation-not-found"

    def __init__(self) -> None:
        super().__init__("Generation not found.")


class AiQuotaExceeded(TooManyRequests):
    code = "ai-quota-exceeded"

    def __init__(self, limit: int, retry_after_seconds: int) -> None:
        super().__init__(
            f"You can make {limit} AI requests per hour. Try again in {retry_after_seconds} seconds.",
            headers={"Retry-After": str(retry_after_seconds)},
        )


class ProviderFailed(AppError):
    """An AI provider call failed or returned unusable output (the job retries)."""

    status = 502
    code = "ai-provider-failed"
    title = "AI provider failed"


class AiRunInProgress(Conflict):
    code = "ai-run-in-progress"

    def __init__(self) -> None:
        super().__init__("An AI run for this campaign is pending or in progress; try again when it has finished.")
