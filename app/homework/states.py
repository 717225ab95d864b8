"""The homework life cycle, modelled on HL7 FHIR Task.status.

requested -> accepted | change_requested ("can we change this?", with the client's reason) | declined
accepted -> in_progress -> completed; the therapist can revise (back to requested, so the client sees
and accepts the new version) or cancel. completed and cancelled are final.

Each transition names who may make it: the client decides about their own homework, the therapist
revises or cancels. Keeping the table here lets tests prove every allowed and forbidden move.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from app.i18n import N_

Role = Literal["client", "therapist"]


class State(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    CHANGE_REQUESTED = "change_requested"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Action(StrEnum):
    ACCEPT = "accept"
    ASK_CHANGE = "ask_change"
    DECLINE = "decline"
    START = "start"
    PRACTISE = "practise"  # one occurrence of recurring homework done; the task stays open
    COMPLETE = "complete"
    REVISE = "revise"
    CANCEL = "cancel"


class TransitionError(ValueError):
    """The action is not allowed from this state for this role."""


@dataclass(frozen=True, slots=True)
class Transition:
    source: State
    action: Action
    role: Role
    target: State


_OPEN_FOR_THERAPIST = (
    State.REQUESTED,
    State.ACCEPTED,
    State.CHANGE_REQUESTED,
    State.DECLINED,
    State.IN_PROGRESS,
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(State.REQUESTED, Action.ACCEPT, "client", State.ACCEPTED),
    Transition(State.REQUESTED, Action.ASK_CHANGE, "client", State.CHANGE_REQUESTED),
    Transition(State.REQUESTED, Action.DECLINE, "client", State.DECLINED),
    Transition(State.ACCEPTED, Action.ASK_CHANGE, "client", State.CHANGE_REQUESTED),
    Transition(State.ACCEPTED, Action.START, "client", State.IN_PROGRESS),
    Transition(State.ACCEPTED, Action.PRACTISE, "client", State.IN_PROGRESS),
    Transition(State.ACCEPTED, Action.COMPLETE, "client", State.COMPLETED),
    Transition(State.IN_PROGRESS, Action.PRACTISE, "client", State.IN_PROGRESS),
    Transition(State.IN_PROGRESS, Action.COMPLETE, "client", State.COMPLETED),
    Transition(State.IN_PROGRESS, Action.ASK_CHANGE, "client", State.CHANGE_REQUESTED),
    *(Transition(s, Action.REVISE, "therapist", State.REQUESTED) for s in _OPEN_FOR_THERAPIST),
    *(Transition(s, Action.CANCEL, "therapist", State.CANCELLED) for s in _OPEN_FOR_THERAPIST),
)

_TABLE: dict[tuple[State, Action, Role], State] = {
    (t.source, t.action, t.role): t.target for t in TRANSITIONS
}

# Actions that must carry the client's words: a change request without a reason helps nobody.
REASON_REQUIRED: frozenset[Action] = frozenset({Action.ASK_CHANGE})
FINAL: frozenset[State] = frozenset({State.COMPLETED, State.CANCELLED})

# FHIR Task.status for each state. "Can we change this?" has no exact FHIR code: the client has
# received the task and is not yet doing it, so it maps to "received" with a businessStatus.
FHIR_STATUS: dict[State, str] = {
    State.REQUESTED: "requested",
    State.ACCEPTED: "accepted",
    State.CHANGE_REQUESTED: "received",
    State.DECLINED: "rejected",
    State.IN_PROGRESS: "in-progress",
    State.COMPLETED: "completed",
    State.CANCELLED: "cancelled",
}

# Shown translated: `_(labels[state])` in templates.
LABELS: dict[State, str] = {
    State.REQUESTED: N_("New"),
    State.ACCEPTED: N_("Accepted"),
    State.CHANGE_REQUESTED: N_("Change asked"),
    State.DECLINED: N_("Declined"),
    State.IN_PROGRESS: N_("In progress"),
    State.COMPLETED: N_("Done"),
    State.CANCELLED: N_("Cancelled"),
}


def allowed_actions(state: State, role: Role) -> list[Action]:
    """What this role may do next, in a stable order (for buttons)."""
    return [a for a in Action if (state, a, role) in _TABLE]


def can(state: State, action: Action, role: Role) -> bool:
    return (state, action, role) in _TABLE


def next_state(state: State, action: Action, role: Role, *, reason: str | None = None) -> State:
    """The state after the action, or TransitionError when it is not allowed."""
    target = _TABLE.get((state, action, role))
    if target is None:
        raise TransitionError(f"a {role} cannot {action.value} homework that is {state.value}")
    if action in REASON_REQUIRED and not (reason and reason.strip()):
        raise TransitionError(N_("please say what you would like to change"))
    return target
