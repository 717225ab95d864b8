"""Every allowed and every forbidden homework transition, per role."""

import itertools

import pytest

from app.homework.states import (
    FHIR_STATUS,
    FINAL,
    Action,
    Role,
    State,
    TransitionError,
    allowed_actions,
    can,
    next_state,
)

ALLOWED: dict[tuple[State, Action, Role], State] = {
    (State.REQUESTED, Action.ACCEPT, "client"): State.ACCEPTED,
    (State.REQUESTED, Action.ASK_CHANGE, "client"): State.CHANGE_REQUESTED,
    (State.REQUESTED, Action.DECLINE, "client"): State.DECLINED,
    (State.ACCEPTED, Action.ASK_CHANGE, "client"): State.CHANGE_REQUESTED,
    (State.ACCEPTED, Action.START, "client"): State.IN_PROGRESS,
    (State.ACCEPTED, Action.PRACTISE, "client"): State.IN_PROGRESS,
    (State.ACCEPTED, Action.COMPLETE, "client"): State.COMPLETED,
    (State.IN_PROGRESS, Action.PRACTISE, "client"): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.COMPLETE, "client"): State.COMPLETED,
    (State.IN_PROGRESS, Action.ASK_CHANGE, "client"): State.CHANGE_REQUESTED,
    **{
        (s, Action.REVISE, "therapist"): State.REQUESTED
        for s in (
            State.REQUESTED,
            State.ACCEPTED,
            State.CHANGE_REQUESTED,
            State.DECLINED,
            State.IN_PROGRESS,
        )
    },
    **{
        (s, Action.CANCEL, "therapist"): State.CANCELLED
        for s in (
            State.REQUESTED,
            State.ACCEPTED,
            State.CHANGE_REQUESTED,
            State.DECLINED,
            State.IN_PROGRESS,
        )
    },
}

ROLES: tuple[Role, ...] = ("client", "therapist")
EVERY = list(itertools.product(State, Action, ROLES))
FORBIDDEN = [key for key in EVERY if key not in ALLOWED]


@pytest.mark.parametrize(("state", "action", "role"), list(ALLOWED))
def test_allowed_transition(state: State, action: Action, role: Role) -> None:
    assert can(state, action, role)
    assert (
        next_state(state, action, role, reason="Too long for my mornings")
        == ALLOWED[(state, action, role)]
    )


@pytest.mark.parametrize(("state", "action", "role"), FORBIDDEN)
def test_forbidden_transition(state: State, action: Action, role: Role) -> None:
    assert not can(state, action, role)
    with pytest.raises(TransitionError):
        next_state(state, action, role, reason="any reason")


def test_every_combination_is_classified() -> None:
    assert len(ALLOWED) + len(FORBIDDEN) == len(State) * len(Action) * 2
    assert len(ALLOWED) == 20


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_change_request_needs_the_clients_reason(reason: str | None) -> None:
    with pytest.raises(TransitionError):
        next_state(State.REQUESTED, Action.ASK_CHANGE, "client", reason=reason)


def test_decline_needs_no_reason() -> None:
    assert next_state(State.REQUESTED, Action.DECLINE, "client") == State.DECLINED


def test_final_states_allow_nothing() -> None:
    for state in FINAL:
        for role in ROLES:
            assert allowed_actions(state, role) == []


def test_therapist_never_acts_for_the_client() -> None:
    client_actions = {
        Action.ACCEPT,
        Action.ASK_CHANGE,
        Action.DECLINE,
        Action.START,
        Action.PRACTISE,
        Action.COMPLETE,
    }
    for state in State:
        assert not client_actions & set(allowed_actions(state, "therapist"))
        assert Action.REVISE not in allowed_actions(state, "client")
        assert Action.CANCEL not in allowed_actions(state, "client")


def test_allowed_actions_for_new_homework() -> None:
    assert allowed_actions(State.REQUESTED, "client") == [
        Action.ACCEPT,
        Action.ASK_CHANGE,
        Action.DECLINE,
    ]


def test_fhir_status_codes_are_valid_task_statuses() -> None:
    valid = {
        "draft",
        "requested",
        "received",
        "accepted",
        "rejected",
        "ready",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
    }
    assert set(FHIR_STATUS) == set(State)
    assert set(FHIR_STATUS.values()) <= valid
    assert FHIR_STATUS[State.DECLINED] == "rejected"
    assert FHIR_STATUS[State.IN_PROGRESS] == "in-progress"
