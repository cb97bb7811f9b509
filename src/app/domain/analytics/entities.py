"""What analytics counts: the kinds of usage a dashboard shows."""

from __future__ import annotations

import enum


class UsageKind(enum.StrEnum):
    GENERATION = "generation"  # from the generations records
    TEMPLATE_RUN = "template_run"  # from the prompt runs
    EXPORT = "export"  # recorded as a usage event when a canvas is exported


MAX_DASHBOARD_DAYS = 365
