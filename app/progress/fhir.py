"""An HL7 FHIR R4 Bundle of one client's record, built from plain dataclasses.

The service loads rows from each domain and hands this module plain values, so the shape can be
tested (against fhir.resources' R4B models) without a database. Homework is a Task (R4 has no
CarePlan activity detail for it in R5, and Task carries the status life cycle); routines and habits
are CarePlan activities; GAS goals are Goals; distress, mood and confidence are Observations; PHQ-9
and GAD-7 answers are QuestionnaireResponses coded with LOINC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from app.progress import measures
from app.records import ObservationData

LOCAL_SYSTEM = "urn:groundwork:codes"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# LOINC answer list LL358-3, shared by PHQ-9 and GAD-7.
ANSWER_LOINC: dict[int, str] = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}

OBSERVATION_TEXT: dict[str, str] = {
    "distress": "Distress rating (0-10)",
    "mood": "Mood rating (0-10)",
    "energy": "Energy rating (0-10)",
    "confidence": "Confidence rating (0-10)",
    # The daily mood log uses a 1-5 scale; sleep is hours; a habit check-in is what was done.
    "daily_mood": "Mood log (1-5)",
    "daily_energy": "Energy log (1-5)",
    "sleep": "Hours slept",
    "habit": "Habit check-in",
}
ActivityStatus = Literal[
    "not-started", "scheduled", "in-progress", "on-hold", "completed", "stopped"
]


@dataclass(frozen=True, slots=True)
class PatientData:
    id: UUID
    display_name: str


@dataclass(frozen=True, slots=True)
class ActivityData:
    """A routine or habit, as a CarePlan activity."""

    id: UUID
    kind: Literal["routine", "habit", "sensory_diet"]
    title: str
    status: ActivityStatus
    schedule: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class GoalData:
    id: UUID
    description: str
    start_on: date
    levels_over_time: Sequence[int] = ()
    archived: bool = False
    level_descriptions: Sequence[tuple[int, str]] = ()


@dataclass(frozen=True, slots=True)
class TaskData:
    id: UUID
    title: str
    status: str  # FHIR Task.status, and the label the client's page shows: the homework record's
    business_status: str  # own words for its state (`app.homework.record.task_status`)
    authored_at: datetime
    last_modified_at: datetime
    instructions: str | None = None
    due_on: date | None = None
    client_reason: str | None = None
    requester_display: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseData:
    id: UUID
    code: str
    answers: Sequence[int]
    authored_at: datetime


@dataclass(frozen=True, slots=True)
class ExportData:
    patient: PatientData
    generated_at: datetime
    activities: Sequence[ActivityData] = ()
    goals: Sequence[GoalData] = ()
    tasks: Sequence[TaskData] = ()
    observations: Sequence[ObservationData] = ()
    responses: Sequence[ResponseData] = ()
    care_plan_id: UUID | None = None


def _ref(uid: UUID) -> dict[str, str]:
    return {"reference": f"urn:uuid:{uid}"}


def achievement_status(levels: Sequence[int]) -> str:
    """goal-achievement code from the GAS ratings so far (oldest first).

    Level 0 is the expected outcome, so reaching it counts as achieved; otherwise the last two
    ratings give the direction.
    """
    if not levels:
        return "in-progress"
    if levels[-1] >= 0:
        return "achieved"
    if len(levels) < 2:
        return "in-progress"
    if levels[-1] > levels[-2]:
        return "improving"
    if levels[-1] < levels[-2]:
        return "worsening"
    return "no-change"


def patient_resource(p: PatientData) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": str(p.id),
        "active": True,
        "name": [{"text": p.display_name}],
    }


def care_plan_resource(data: ExportData, plan_id: UUID) -> dict[str, Any]:
    activities = []
    for a in data.activities:
        detail: dict[str, Any] = {
            "status": a.status,
            "code": {"coding": [{"system": LOCAL_SYSTEM, "code": a.kind}], "text": a.title},
        }
        if a.description:
            detail["description"] = a.description
        if a.schedule:
            detail["scheduledString"] = a.schedule
        activities.append({"detail": detail})
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(plan_id),
        "status": "active",
        "intent": "plan",
        "title": "Routines and habits",
        "subject": _ref(data.patient.id),
        "created": data.generated_at.isoformat(),
        "goal": [_ref(g.id) for g in data.goals],
    }
    if activities:
        resource["activity"] = activities
    if not resource["goal"]:
        del resource["goal"]
    return resource


def goal_resource(g: GoalData, patient_id: UUID) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": str(g.id),
        "lifecycleStatus": "cancelled" if g.archived else "active",
        "achievementStatus": {
            "coding": [{"system": GOAL_ACHIEVEMENT, "code": achievement_status(g.levels_over_time)}]
        },
        "description": {"text": g.description},
        "subject": _ref(patient_id),
        "startDate": g.start_on.isoformat(),
    }
    if g.level_descriptions:
        text = "; ".join(f"{level:+d}: {words}" for level, words in g.level_descriptions)
        resource["note"] = [{"text": f"Goal attainment levels: {text}"}]
    return resource


def task_resource(t: TaskData, patient_id: UUID, plan_id: UUID) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(t.id),
        "status": t.status,
        "intent": "order",
        "basedOn": [_ref(plan_id)],
        "description": t.title,
        "for": _ref(patient_id),
        "owner": _ref(patient_id),
        "authoredOn": t.authored_at.isoformat(),
        "lastModified": t.last_modified_at.isoformat(),
        "businessStatus": {"text": t.business_status},
    }
    if t.instructions:
        resource["note"] = [{"text": t.instructions}]
    if t.due_on:
        resource["restriction"] = {"period": {"end": t.due_on.isoformat()}}
    if t.client_reason:
        resource["statusReason"] = {"text": t.client_reason}
    if t.requester_display:
        resource["requester"] = {"display": t.requester_display}
    return resource


def observation_resource(o: ObservationData, patient_id: UUID) -> dict[str, Any]:
    def quantity(value: int | float, unit: str = "score") -> dict[str, Any]:
        if unit == "h":
            return {"value": value, "unit": "h", "system": UCUM, "code": "h"}
        return {"value": value, "unit": "score", "system": UCUM, "code": "{score}"}

    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(o.id),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}],
        "code": {
            "coding": [{"system": LOCAL_SYSTEM, "code": o.kind}],
            "text": OBSERVATION_TEXT[o.kind],
        },
        "subject": _ref(patient_id),
        "effectiveDateTime": o.effective_at.isoformat(),
    }
    if o.text_value is not None:
        resource["valueString"] = o.text_value
    else:
        resource["valueQuantity"] = quantity(o.value, o.unit)
    if o.components:
        resource["component"] = [
            {
                "code": {"coding": [{"system": LOCAL_SYSTEM, "code": name}], "text": name},
                "valueQuantity": quantity(value),
            }
            for name, value in o.components
        ]
    if o.note:
        resource["note"] = [{"text": o.note}]
    return resource


def questionnaire_response_resource(r: ResponseData, patient_id: UUID) -> dict[str, Any]:
    measure = measures.get(r.code)
    result = measures.score(r.code, list(r.answers))
    items: list[dict[str, Any]] = [
        {
            "linkId": item.loinc,
            "text": item.text,
            "answer": [
                {
                    "valueCoding": {
                        "system": LOINC,
                        "code": ANSWER_LOINC[value],
                        "display": measures.answer_label(value),
                    }
                }
            ],
        }
        for item, value in zip(measure.items, r.answers, strict=True)
    ]
    items.append(
        {
            "linkId": measure.total_loinc,
            "text": "Total score",
            "answer": [{"valueInteger": result.total}],
        }
    )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(r.id),
        "questionnaire": f"http://loinc.org/q/{measure.loinc}",
        "status": "completed",
        "subject": _ref(patient_id),
        "authored": r.authored_at.isoformat(),
        "item": items,
    }


def build_bundle(data: ExportData) -> dict[str, Any]:
    """A FHIR R4 'collection' Bundle; references are urn:uuid full URLs within the bundle."""
    pid = data.patient.id
    # A stable plan id per client, so two exports of one record reference the same CarePlan.
    plan_id = data.care_plan_id or uuid5(NAMESPACE_URL, f"groundwork:careplan:{pid}")
    resources: list[dict[str, Any]] = [patient_resource(data.patient)]
    resources.append(care_plan_resource(data, plan_id))
    resources += [goal_resource(g, pid) for g in data.goals]
    resources += [task_resource(t, pid, plan_id) for t in data.tasks]
    resources += [observation_resource(o, pid) for o in data.observations]
    resources += [questionnaire_response_resource(r, pid) for r in data.responses]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": data.generated_at.isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{res['id']}", "resource": res} for res in resources],
    }
