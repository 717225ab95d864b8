"""Where a client's personal data lives: the one inventory the download (and its guard test) reads.

Each table holding data about a client is either listed in KINDS (exported, one CSV each) or in
NOT_CLIENT_DATA with the reason. tests/my_data/test_inventory.py fails when a new table with a
`client_id`/`user_id` column, a reference to a person, or a reference to a listed table is in
neither, so a domain cannot add client data that the client cannot download.

A kind names its owner column(s) (rows where any equals the client's id), or a parent table whose
`client_id` owns the rows (steps of a routine, versions of a note). Secret columns (password and
token hashes, push keys) are never exported: they are ours, not information about the person.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, or_, select
from sqlmodel import SQLModel

import app.models  # noqa: F401  (every domain's tables on the one metadata)


@dataclass(frozen=True, slots=True)
class Kind:
    table: str
    label: str
    owners: tuple[str, ...] = ("client_id",)
    parent: str | None = None  # owners[0] refers to parent.id; parent.client_id is the client

    @property
    def file(self) -> str:
        return f"csv/{self.table}.csv"


def _k(table: str, label: str, *owners: str, parent: str | None = None) -> Kind:
    return Kind(table, label, owners or ("client_id",), parent)


KINDS: tuple[Kind, ...] = (
    _k("user_account", "Your profile", "id"),
    _k("care_link", "Your therapists and when they could see your record"),
    _k("audit_event", "Who opened your record, and your own logins", "client_id", "actor_id"),
    _k("auth_session", "Devices you logged in on", "user_id"),
    _k("password_reset", "Password resets you asked for", "user_id"),
    _k("recovery_code", "Two-step recovery codes: when each was made and used", "user_id"),
    _k("private_record_kind", "What you keep private from your therapist"),
    _k("invite", "Invitations sent to you", "user_id"),
    _k("mood_log", "Mood log (mood, energy, sleep, notes)"),
    _k("mood_reminder", "Mood log reminder time"),
    _k("habit", "Self-care habits"),
    _k("habit_level", "Habit levels", "habit_id", parent="habit"),
    _k("habit_level_change", "Habit level changes", "habit_id", parent="habit"),
    _k("habit_suggestion", "Habit level suggestions", "habit_id", parent="habit"),
    _k("habit_check_in", "Habit check-ins"),
    _k("habit_pause", "Habit pauses"),
    _k("habit_summary", "Habit summaries"),
    _k("routine", "Routines"),
    _k("routine_step", "Routine steps", "routine_id", parent="routine"),
    _k("routine_pause", "Routine pauses", "routine_id", parent="routine"),
    _k("routine_reminder_time", "Routine reminder times", "routine_id", parent="routine"),
    _k("routine_run", "Routine days"),
    _k("step_outcome", "Routine steps done", "run_id", parent="routine_run"),
    _k("routine_photo", "Photos for routine steps"),
    _k("routine_calendar_feed", "Calendar feeds"),
    _k("coping_episode", "Calm tool uses and distress ratings"),
    _k("coping_strategy", "Your own calm strategies"),
    _k("coping_strategy_stats", "How each calm strategy went"),
    _k("coping_toolbox_entry", "Your calm toolbox"),
    _k("coping_plan", "Safety and calm plans"),
    _k("coping_plan_version", "Earlier versions of your plans", "plan_id", parent="coping_plan"),
    _k("coping_sensory_fit", "Sensory answers used by the calm tools"),
    _k("sensory_profile_version", "Sensory profile"),
    _k("sensory_kit", "Sensory kit"),
    _k("sensory_diet_item", "Sensory diet plan"),
    _k("sensory_diet_checkoff", "Sensory diet check-offs"),
    _k("homework_assignment", "Homework"),
    _k(
        "homework_attachment", "Homework attachments", "assignment_id", parent="homework_assignment"
    ),
    _k("homework_message", "Homework messages", "assignment_id", parent="homework_assignment"),
    _k("homework_completion", "Homework done, with your reflections"),
    _k("homework_notice", "Homework notices sent to your therapist"),
    _k("progress_goal", "Goals"),
    _k("progress_goal_rating", "Goal ratings"),
    _k("progress_measure_schedule", "Questionnaire schedules"),
    _k("progress_measure_response", "Questionnaire answers (PHQ-9, GAD-7)"),
    _k("progress_session_note", "Session notes"),
    _k(
        "progress_session_note_version",
        "Session note text, every version",
        "note_id",
        parent="progress_session_note",
    ),
    _k("occupation_profile", "Your occupational profile, every version"),
    _k("occupation_activity", "Activities you rate"),
    _k("occupation_rating_round", "Rounds of activity ratings"),
    _k("occupation_rating", "Activity ratings"),
    _k("occupation_diary_week", "Activity diary weeks"),
    _k("occupation_diary_entry", "Activity diary entries"),
    _k("occupation_interest", "Interests"),
    _k("occupation_plan_goal", "Care plan goals"),
    _k("occupation_plan_support", "What supports each care plan goal"),
    _k("occupation_review", "Care plan reviews"),
    _k("occupation_discharge", "Discharge summary"),
    _k("reminder_preference", "Reminder settings"),
    _k("reminder_schedule", "Reminder schedules"),
    _k("reminder_item", "Reminders sent or due"),
    _k("reminder_delivery", "Reminder deliveries", "item_id", parent="reminder_item"),
    _k("push_subscription", "Devices that get reminders"),
    _k("account_closure", "Closing your account"),
)

NOT_CLIENT_DATA: dict[str, str] = {
    "client_data_version": "a counter that tells caches a client's data changed; it says nothing "
    "about the person",
    "data_export": "the download jobs themselves: a copy of the tables above, deleted when the "
    "link expires",
    "organisation": "the clinic",
    "clinic_ladder": "clinic content written by staff, not about a client",
    "coping_clinic_crisis_line": "clinic content written by staff, not about a client",
    "routine_template": "clinic content written by staff, not about a client",
    "digest_preference": "a therapist's own email settings",
    "digest_run": "a therapist's own digest send log",
    "clinic_retention": "a clinic setting: how long it keeps records after an account is erased",
}

# Kept, locked, when an account is erased: what a clinic must keep as its clinical record (session
# notes, questionnaire answers, goals and their ratings, who treated the person), the audit log
# (append-only by design: the record of who opened what), and the closure record itself (proof of
# erasure). The account row stays as an anonymous stub so these still refer to someone.
RETAINED: dict[str, str] = {
    "user_account": "kept as an anonymous stub: no name, email, password or two-step secret",
    "care_link": "which therapist worked with you, and when",
    "progress_session_note": "session notes your therapist wrote",
    "progress_session_note_version": "session notes your therapist wrote (every version)",
    "progress_measure_response": "your questionnaire answers (PHQ-9, GAD-7)",
    "progress_goal": "the goals you and your therapist set",
    "progress_goal_rating": "how those goals were rated",
    "occupation_profile": "your occupational profile: the assessment your care started from",
    "occupation_activity": "the activities you rated with your therapist",
    "occupation_rating_round": "when those activities were rated",
    "occupation_rating": "how you rated those activities",
    "occupation_plan_goal": "your care plan",
    "occupation_plan_support": "what supported each goal of your care plan",
    "occupation_review": "the reviews of your care plan",
    "occupation_discharge": "your discharge summary",
    "audit_event": "the log of who opened your record, and your logins",
    "account_closure": "the record that your account was closed and erased",
}

# Never exported: ours (credentials, keys, cache bookkeeping), not information about the person.
SECRET_COLUMNS = frozenset(
    {"password_hash", "totp_secret", "token_hash", "code_hash", "csrf_token", "p256dh", "auth"}
)


def table(kind: Kind) -> Table:
    return SQLModel.metadata.tables[kind.table]


def owner_clause(kind: Kind, client_id: object) -> ColumnElement[bool]:
    """The rows of `kind` that are the client's."""
    t = table(kind)
    if kind.parent is not None:
        parent = SQLModel.metadata.tables[kind.parent]
        owned = select(parent.c.id).where(parent.c.client_id == client_id)
        return t.c[kind.owners[0]].in_(owned.scalar_subquery())
    return or_(*(t.c[name] == client_id for name in kind.owners))


def exported_columns(kind: Kind) -> list[str]:
    return [c.name for c in table(kind).columns if c.name not in SECRET_COLUMNS]
