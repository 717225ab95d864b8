"""What each domain tells the caseload dashboard about a client (see docs/CONVENTIONS.md, signals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Severity = Literal["info", "attention", "urgent"]


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str
    severity: Severity = "attention"


@dataclass(frozen=True)
class Adherence:
    """Planned and done this local week and last; partial completion counts fractionally."""

    planned: float = 0
    done: float = 0
    planned_prev: float = 0
    done_prev: float = 0

    @property
    def share(self) -> float | None:
        return self.done / self.planned if self.planned else None

    @property
    def share_prev(self) -> float | None:
        return self.done_prev / self.planned_prev if self.planned_prev else None


@dataclass(frozen=True)
class DistressSummary:
    episodes: int = 0
    episodes_prev: int = 0
    mean_before: float | None = None
    mean_before_prev: float | None = None
    max_before: int | None = None


@dataclass
class ClientSignals:
    last_activity_at: datetime | None = None
    adherence: dict[str, Adherence] = field(default_factory=dict)
    distress: DistressSummary | None = None
    flags: list[Flag] = field(default_factory=list)
