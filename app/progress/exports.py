"""Turning a client's Record into the report, the CSV and the FHIR Bundle."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from app import records
from app.accounts.models import Organisation, User
from app.homework import record as homework_record
from app.i18n import gettext as _
from app.i18n import ngettext
from app.progress import csv_export, fhir, measure_service, measures
from app.progress.record import Record, homework_summary
from app.progress.report_pdf import GoalRow, HomeworkRow, MeasureRow, NoteRow, ReportData


def _names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return dict(
        session.exec(select(User.id, User.preferred_name).where(col(User.id).in_(ids))).all()
    )


def report_data(session: Session, r: Record, *, prepared_by: User, now: datetime) -> ReportData:
    authors = _names(session, {n.author_id for n in r.notes})
    clinic = (
        session.get(Organisation, prepared_by.organisation_id)
        if prepared_by.organisation_id
        else None
    )
    return ReportData(
        client_name=r.client.preferred_name,
        start=r.start,
        end=r.end,
        generated_at=now,
        prepared_by=prepared_by.preferred_name,
        clinic_name=clinic.name if clinic else "",
        charts=r.charts,
        goals=[
            GoalRow(
                g.title,
                g.weight,
                [(x.rated_on, x.level) for x in r.ratings if x.goal_id == g.id],
                g.levels(),
            )
            for g in r.goals
            if g.archived_at is None or any(x.goal_id == g.id for x in r.ratings)
        ],
        t_scores=[(p.on, p.t_score) for p in r.t_points],
        homework=[
            HomeworkRow(
                h.assignment.title,
                h.kind_label,
                h.state_label,
                h.times_done,
                h.mean_difficulty,
                h.mean_helpfulness,
                h.reflections,
                h.stuck,
            )
            for h in homework_summary(r)
        ],
        measures=[
            MeasureRow(
                x.answered_at.date(),
                measures.get(x.code).name,
                x.total,
                measures.get(x.code).max_total,
                measure_service.band_label(x),
                x.urgent,
            )
            for x in r.responses
        ],
        notes=[
            NoteRow(
                n.note.session_on, authors.get(n.author_id, _("A therapist")), n.body, n.version
            )
            for n in sorted(r.notes, key=lambda n: n.note.session_on)
        ],
    )


def csv_rows(r: Record) -> list[csv_export.CsvRow]:
    Row = csv_export.CsvRow
    titles = {g.id: g.title for g in r.goals}
    out: list[csv_export.CsvRow] = []
    out += [
        Row("goal", g.created_at, g.title, g.weight, "archived" if g.archived_at else "active")
        for g in r.goals
    ]
    out += [
        Row("goal_rating", x.rated_on, titles.get(x.goal_id, ""), x.level, x.note or None)
        for x in r.ratings
    ]
    out += [
        Row(
            "gas_t_score", p.on, ngettext("%(num)s goal", "%(num)s goals", p.goals_rated), p.t_score
        )
        for p in r.t_points
    ]
    homework = homework_record.facts(r.homework, r.completions)
    # then each domain's own facts (a routine's steps per day, …)
    for fact in [*homework, *(f for part in r.parts for f in part.facts)]:
        out.append(Row(fact.section, fact.on, fact.item, fact.value, fact.detail))
    out += [
        Row(
            "measure",
            x.answered_at,
            measures.get(x.code).name,
            x.total,
            _("%(band)s; item 9 above 0", band=_(measure_service.band_label(x)))
            if x.urgent
            else _(measure_service.band_label(x)),
        )
        for x in r.responses
    ]
    out += [
        Row(
            "session_note",
            n.note.session_on,
            _("version %(number)s", number=n.version),
            None,
            n.body,
        )
        for n in r.notes
    ]
    return out


def fhir_bundle(
    r: Record,
    *,
    now: datetime,
    therapist_name: str,
    logged: Sequence[records.ObservationData] = (),
) -> dict[str, object]:
    """`logged`: the day-to-day Observations (app.progress.observations), loaded by the caller."""
    observations = []
    for c in r.completions:
        answers: tuple[tuple[str, records.ObservationKind], ...] = (
            ("mood_after", "mood"),
            ("mastery", "confidence"),
        )
        for key, kind in answers:
            value = c.answers.get(key)
            if isinstance(value, int):
                observations.append(
                    records.ObservationData(
                        uuid.uuid5(c.id, key),
                        kind,
                        value,
                        c.created_at,
                        note="After a planned activity"
                        if kind == "mood"
                        else "Mastery after a planned activity",
                    )
                )
    data = fhir.ExportData(
        patient=fhir.PatientData(r.client.id, r.client.preferred_name),
        generated_at=now,
        activities=[
            fhir.ActivityData(x.id, x.kind, x.title, "in-progress", x.schedule)
            for part in r.parts
            for x in part.activities
        ],
        goals=[
            fhir.GoalData(
                g.id,
                g.title,
                g.created_at.date(),
                [x.level for x in r.ratings if x.goal_id == g.id],
                archived=g.archived_at is not None,
                level_descriptions=g.levels(),
            )
            for g in r.goals
        ],
        tasks=[
            fhir.TaskData(
                a.id,
                a.title,
                *homework_record.task_status(a.state),
                a.created_at,
                a.updated_at,
                a.instructions or None,
                a.due_on,
                a.client_reason or None,
                therapist_name,
            )
            for a in r.homework
        ],
        observations=[*observations, *logged],
        responses=[fhir.ResponseData(x.id, x.code, x.answers, x.answered_at) for x in r.responses],
    )
    return fhir.build_bundle(data)
