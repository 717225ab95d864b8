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
from app.i18n import N_


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
    _k("user_account", N_("Your profile"), "id"),
    _k("care_link", N_("Your therapists and when they could see your record")),
    _k("audit_event", N_("Who opened your record, and your own logins"), "client_id", "actor_id"),
    _k("auth_session", N_("Devices you logged in on"), "user_id"),
    _k("password_reset", N_("Password resets you asked for"), "user_id"),
    _k("recovery_code", N_("Two-step recovery codes: when each was made and used"), "user_id"),
    _k("private_record_kind", N_("What you keep private from your therapist")),
    _k("invite", N_("Invitations sent to you"), "user_id"),
    _k("mood_log", N_("Mood log (mood, energy, sleep, notes)")),
    _k("mood_reminder", N_("Mood log reminder time")),
    _k("habit", N_("Self-care habits")),
    _k("habit_level", N_("Habit levels"), "habit_id", parent="habit"),
    _k("habit_level_change", N_("Habit level changes"), "habit_id", parent="habit"),
    _k("habit_suggestion", N_("Habit level suggestions"), "habit_id", parent="habit"),
    _k("habit_check_in", N_("Habit check-ins")),
    _k("habit_pause", N_("Habit pauses")),
    _k("habit_summary", N_("Habit summaries")),
    _k("routine", N_("Routines")),
    _k("routine_step", N_("Routine steps"), "routine_id", parent="routine"),
    _k("routine_pause", N_("Routine pauses"), "routine_id", parent="routine"),
    _k("routine_reminder_time", N_("Routine reminder times"), "routine_id", parent="routine"),
    _k("routine_run", N_("Routine days")),
    _k("step_outcome", N_("Routine steps done"), "run_id", parent="routine_run"),
    _k("routine_photo", N_("Photos for routine steps")),
    _k("routine_calendar_feed", N_("Calendar feeds")),
    _k("coping_episode", N_("Calm tool uses and distress ratings")),
    _k("coping_strategy", N_("Your own calm strategies")),
    _k("coping_strategy_stats", N_("How each calm strategy went")),
    _k("coping_toolbox_entry", N_("Your calm toolbox")),
    _k("coping_plan", N_("Safety and calm plans")),
    _k(
        "coping_plan_version", N_("Earlier versions of your plans"), "plan_id", parent="coping_plan"
    ),
    _k("coping_sensory_fit", N_("Sensory answers used by the calm tools")),
    _k("sensory_profile_version", N_("Sensory profile")),
    _k("sensory_kit", N_("Sensory kit")),
    _k("sensory_diet_item", N_("Sensory diet plan")),
    _k("sensory_diet_checkoff", N_("Sensory diet check-offs")),
    _k("homework_assignment", N_("Homework")),
    _k(
        "homework_attachment",
        N_("Homework attachments"),
        "assignment_id",
        parent="homework_assignment",
    ),
    _k("homework_message", N_("Homework messages"), "assignment_id", parent="homework_assignment"),
    _k("homework_completion", N_("Homework done, with your reflections")),
    _k("homework_notice", N_("Homework notices sent to your therapist")),
    _k("progress_goal", N_("Goals")),
    _k("progress_goal_rating", N_("Goal ratings")),
    _k("progress_measure_schedule", N_("Questionnaire schedules")),
    _k("progress_measure_response", N_("Questionnaire answers (PHQ-9, GAD-7)")),
    _k("progress_session_note", N_("Session notes")),
    _k(
        "progress_session_note_version",
        N_("Session note text, every version"),
        "note_id",
        parent="progress_session_note",
    ),
    _k("occupation_profile", N_("Your occupational profile, every version")),
    _k("occupation_activity", N_("Activities you rate")),
    _k("occupation_rating_round", N_("Rounds of activity ratings")),
    _k("occupation_rating", N_("Activity ratings")),
    _k("occupation_diary_week", N_("Activity diary weeks")),
    _k("occupation_diary_entry", N_("Activity diary entries")),
    _k("occupation_interest", N_("Interests")),
    _k("occupation_plan_goal", N_("Care plan goals")),
    _k("occupation_plan_support", N_("What supports each care plan goal")),
    _k("occupation_review", N_("Care plan reviews")),
    _k("occupation_discharge", N_("Discharge summary")),
    _k("reminder_preference", N_("Reminder settings")),
    _k("reminder_schedule", N_("Reminder schedules")),
    _k("reminder_item", N_("Reminders sent or due")),
    _k("reminder_delivery", N_("Reminder deliveries"), "item_id", parent="reminder_item"),
    _k("push_subscription", N_("Devices that get reminders")),
    _k("account_closure", N_("Closing your account")),
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
# Shown to the client (translated where shown: `_(words)`).
RETAINED: dict[str, str] = {
    "user_account": N_("kept as an anonymous stub: no name, email, password or two-step secret"),
    "care_link": N_("which therapist worked with you, and when"),
    "progress_session_note": N_("session notes your therapist wrote"),
    "progress_session_note_version": N_("session notes your therapist wrote (every version)"),
    "progress_measure_response": N_("your questionnaire answers (PHQ-9, GAD-7)"),
    "progress_goal": N_("the goals you and your therapist set"),
    "progress_goal_rating": N_("how those goals were rated"),
    "occupation_profile": N_("your occupational profile: the assessment your care started from"),
    "occupation_activity": N_("the activities you rated with your therapist"),
    "occupation_rating_round": N_("when those activities were rated"),
    "occupation_rating": N_("how you rated those activities"),
    "occupation_plan_goal": N_("your care plan"),
    "occupation_plan_support": N_("what supported each goal of your care plan"),
    "occupation_review": N_("the reviews of your care plan"),
    "occupation_discharge": N_("your discharge summary"),
    "audit_event": N_("the log of who opened your record, and your logins"),
    "account_closure": N_("the record that your account was closed and erased"),
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
