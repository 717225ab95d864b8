"""The FHIR Bundle validates against R4B models; status codes checked here since models do not."""

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest
from fhir.resources.R4B.bundle import Bundle

from app.homework.record import task_status
from app.homework.states import State
from app.progress.fhir import (
    ActivityData,
    ExportData,
    GoalData,
    PatientData,
    ResponseData,
    TaskData,
    achievement_status,
    build_bundle,
)
from app.records import ObservationData

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TASK_STATUS = {
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
ACTIVITY_STATUS = {
    "not-started",
    "scheduled",
    "in-progress",
    "on-hold",
    "completed",
    "cancelled",
    "stopped",
    "unknown",
    "entered-in-error",
}
ACHIEVEMENT = {
    "in-progress",
    "improving",
    "worsening",
    "no-change",
    "achieved",
    "sustaining",
    "not-achieved",
    "no-progress",
    "not-attainable",
}
GOAL_LIFECYCLE = {
    "proposed",
    "planned",
    "accepted",
    "active",
    "on-hold",
    "completed",
    "cancelled",
    "entered-in-error",
    "rejected",
}


def _data() -> ExportData:
    return ExportData(
        patient=PatientData(id=uuid4(), display_name="Alex Rivera"),
        generated_at=NOW,
        activities=[
            ActivityData(
                uuid4(), "routine", "Morning routine", "in-progress", "Every day at 07:30"
            ),
            ActivityData(uuid4(), "habit", "Shower", "in-progress", None, "Level 2 of 4"),
            ActivityData(uuid4(), "habit", "Walk", "on-hold"),
        ],
        goals=[
            GoalData(
                uuid4(),
                "Cook a simple meal",
                date(2026, 10, 1),
                [-1, 0],
                level_descriptions=[(-2, "none"), (0, "twice a week")],
            ),
            GoalData(uuid4(), "Take the bus alone", date(2026, 10, 1), [-2, -1]),
            GoalData(uuid4(), "Old goal", date(2026, 9, 1), [], archived=True),
        ],
        tasks=[
            TaskData(
                uuid4(),
                f"Homework {s.value}",
                *task_status(s),
                NOW,
                NOW,
                "Practise daily",
                date(2026, 11, 27),
                "Too long" if s is State.CHANGE_REQUESTED else None,
                "Sam Okafor",
            )
            for s in State
        ],
        observations=[
            ObservationData(uuid4(), "distress", 8, NOW, [("after", 4)], "Box breathing"),
            ObservationData(uuid4(), "mood", 6, NOW),
            ObservationData(uuid4(), "confidence", 7, NOW),
        ],
        responses=[
            ResponseData(uuid4(), "phq9", [1, 1, 2, 0, 1, 0, 1, 0, 0], NOW),
            ResponseData(uuid4(), "gad7", [2, 2, 1, 1, 0, 0, 1], NOW),
        ],
    )


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_validates_with_r4b_models() -> None:
    bundle = build_bundle(_data())
    parsed = Bundle.model_validate(bundle)
    kinds = {type(e.resource).__name__ for e in parsed.entry or []}
    assert kinds == {"Patient", "CarePlan", "Goal", "Task", "Observation", "QuestionnaireResponse"}


def test_empty_record_still_validates() -> None:
    data = ExportData(patient=PatientData(uuid4(), "Kim"), generated_at=NOW)
    bundle = build_bundle(data)
    Bundle.model_validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient", "CarePlan"]


def test_every_homework_state_maps_to_a_valid_task_status() -> None:
    bundle = build_bundle(_data())
    tasks = _resources(bundle, "Task")
    assert len(tasks) == len(State)
    assert {t["status"] for t in tasks} <= TASK_STATUS
    by_title = {t["description"]: t for t in tasks}
    assert by_title["Homework declined"]["status"] == "rejected"
    assert by_title["Homework change_requested"]["statusReason"] == {"text": "Too long"}
    assert all(t["intent"] == "order" for t in tasks)


def test_care_plan_activities_and_goal_codes_are_valid() -> None:
    bundle = build_bundle(_data())
    (plan,) = _resources(bundle, "CarePlan")
    assert plan["status"] == "active"
    assert plan["intent"] == "plan"
    assert {a["detail"]["status"] for a in plan["activity"]} <= ACTIVITY_STATUS
    goals = _resources(bundle, "Goal")
    for goal in goals:
        assert goal["lifecycleStatus"] in GOAL_LIFECYCLE
        assert goal["achievementStatus"]["coding"][0]["code"] in ACHIEVEMENT
    assert [g["achievementStatus"]["coding"][0]["code"] for g in goals] == [
        "achieved",
        "improving",
        "in-progress",
    ]


def test_questionnaire_response_is_loinc_coded_with_total() -> None:
    bundle = build_bundle(_data())
    phq, gad = _resources(bundle, "QuestionnaireResponse")
    assert phq["questionnaire"] == "http://loinc.org/q/44249-1"
    assert phq["status"] == "completed"
    assert len(phq["item"]) == 10
    assert phq["item"][-1]["answer"][0]["valueInteger"] == 6
    assert phq["item"][0]["answer"][0]["valueCoding"]["code"] == "LA6569-3"
    assert gad["item"][-1]["answer"][0]["valueInteger"] == 7


def test_observations_are_final_with_components() -> None:
    obs = _resources(build_bundle(_data()), "Observation")
    assert {o["status"] for o in obs} == {"final"}
    assert obs[0]["valueQuantity"]["value"] == 8
    assert obs[0]["component"][0]["valueQuantity"]["value"] == 4


def test_references_resolve_inside_the_bundle() -> None:
    bundle = build_bundle(_data())
    urls = {e["fullUrl"] for e in bundle["entry"]}
    patient_url = next(
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    for task in _resources(bundle, "Task"):
        assert task["for"]["reference"] == patient_url
        assert task["basedOn"][0]["reference"] in urls
    for goal in _resources(bundle, "Goal"):
        assert goal["subject"]["reference"] == patient_url


@pytest.mark.parametrize(
    ("levels", "code"),
    [
        ([], "in-progress"),
        ([-2], "in-progress"),
        ([-2, -1], "improving"),
        ([-1, -2], "worsening"),
        ([-1, -1], "no-change"),
        ([-1, 0], "achieved"),
        ([2], "achieved"),
    ],
)
def test_achievement_status(levels: list[int], code: str) -> None:
    assert achievement_status(levels) == code
