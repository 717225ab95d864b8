"""The discharge summary: where the person started and where they are now, goals reached, what
helped, their own words and the plan to keep going. Shown as a page, a PDF (WeasyPrint, as the
progress report) and a FHIR R4B document Bundle (Composition + CarePlan).

Written for the client too: plain words, changes said as changes, never a judgement or diagnosis.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from jinja2 import Environment
from markupsafe import Markup, escape
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.errors import Unprocessable
from app.i18n import N_
from app.i18n import gettext as _
from app.occupation import plan, scores, service
from app.occupation.models import Discharge
from app.occupation.schemas import DischargeIn
from app.progress.report_pdf import render_pdf
from app.web_security import Principal

TEMPLATE = "occupation/discharge_doc.html"
CSS_FILE = Path(__file__).resolve().parents[2] / "web" / "static" / "occupation" / "print.css"
LOINC = "http://loinc.org"
DISCHARGE_LOINC = "18842-5"  # Discharge summary


def latest(session: Session, client_id: uuid.UUID) -> Discharge | None:
    return session.exec(
        select(Discharge)
        .where(Discharge.client_id == client_id)
        .order_by(col(Discharge.created_at).desc())
        .limit(1)
    ).first()


def save(session: Session, *, therapist: Principal, client: User, data: DischargeIn) -> Discharge:
    today = clock.local_today(client.time_zone)
    on = data.discharged_on or today
    if on > today:
        raise Unprocessable(
            N_("The discharge date cannot be in the future."), field="discharged_on"
        )
    row = Discharge(
        client_id=client.id,
        discharged_on=on,
        what_helped=data.what_helped,
        client_words=data.client_words,
        keep_going=data.keep_going,
        created_by_id=therapist.id,
    )
    session.add(row)
    audit.add(session, actor=therapist.user, client_id=client.id, action="occupation.discharge")
    session.commit()
    return row


@dataclass(frozen=True, slots=True)
class ActivityLine:
    title: str
    start: tuple[int, int] | None  # (performance, satisfaction) at the first rating
    end: tuple[int, int] | None
    change: tuple[scores.Change, scores.Change] | None


@dataclass(frozen=True, slots=True)
class GoalOutcome:
    title: str
    level: int | None
    label: str

    @property
    def attained(self) -> bool:
        """Reached the expected level (0) or beyond, as written with the client."""
        return self.level is not None and self.level >= 0


@dataclass(frozen=True)
class Summary:
    client_name: str
    discharged_on: date
    generated_at: datetime
    prepared_by: str
    start_on: date | None
    start_score: scores.RoundScore | None
    end_score: scores.RoundScore | None
    change: tuple[scores.Change, scores.Change] | None
    activities: list[ActivityLine]
    goals: list[GoalOutcome]
    measures: list[tuple[str, plan.MeasurePoint, plan.MeasurePoint]]
    supports: list[str]
    hopes: str
    what_helped: str
    client_words: str
    keep_going: str
    discharge_id: uuid.UUID | None = None
    client_id: uuid.UUID | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def goals_attained(self) -> int:
        return sum(1 for g in self.goals if g.attained)


def summary(session: Session, client: User, *, prepared_by: str, now: datetime) -> Summary:
    row = latest(session, client.id)
    data = plan.review_data(session, client, now=now)
    perf = data.performance
    first, last = perf.first, perf.latest
    lines = []
    for a in perf.activities:
        rated = [v.ratings[a.id] for v in perf.rounds if a.id in v.ratings]
        lines.append(
            ActivityLine(
                a.title,
                (rated[0].performance, rated[0].satisfaction) if rated else None,
                (rated[-1].performance, rated[-1].satisfaction) if len(rated) > 1 else None,
                perf.activity_change(a.id),
            )
        )
    by_measure: dict[str, list[plan.MeasurePoint]] = {}
    for p in data.measures:
        by_measure.setdefault(p.name, []).append(p)
    profile = service.latest_profile(session, client.id)
    return Summary(
        client_name=client.preferred_name,
        discharged_on=row.discharged_on if row else clock.local_today(client.time_zone),
        generated_at=now,
        prepared_by=prepared_by,
        start_on=first.round.rated_on if first else None,
        start_score=first.score if first else None,
        end_score=last.score if last else None,
        change=perf.change(),
        activities=lines,
        goals=[
            GoalOutcome(
                g.title,
                g.ratings[-1][1] if g.ratings else None,
                g.ratings[-1][2] if g.ratings else N_("Not rated yet"),
            )
            for g in data.goals
        ],
        measures=[(name, pts[0], pts[-1]) for name, pts in by_measure.items() if len(pts) > 1],
        supports=sorted({s.title for g in data.goals for s in g.supports}),
        hopes=profile.hopes if profile else "",
        what_helped=row.what_helped if row else "",
        client_words=row.client_words if row else "",
        keep_going=row.keep_going if row else "",
        discharge_id=row.id if row else None,
        client_id=client.id,
    )


def render_html(env: Environment, data: Summary, *, embed_css: bool = True) -> str:
    """The printable document; CSS embedded for the PDF (WeasyPrint fetches nothing)."""
    css = Markup(CSS_FILE.read_text()) if embed_css else None
    return env.get_template(TEMPLATE).render(doc=data, doc_css=css)


def pdf(env: Environment, data: Summary) -> bytes:
    return render_pdf(render_html(env, data))


# --- FHIR ---------------------------------------------------------------------------------------


def _div(paragraphs: Sequence[str]) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p) or "<p>{}</p>".format(
        escape(_("Nothing recorded."))
    )
    return f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'


def _section(title: str, paragraphs: Sequence[str]) -> dict[str, Any]:
    return {"title": title, "text": {"status": "generated", "div": _div(paragraphs)}}


def _start_end_lines(s: Summary) -> list[str]:
    out = []
    if s.change:
        perf, sat = s.change
        for question, c in ((_("How well things go:"), perf), (_("Satisfaction:"), sat)):
            figures = _(
                "%(before)s at the start, %(after)s now (%(change)s).",
                before=format(c.before, "g"),
                after=format(c.after, "g"),
                change=c.words,
            )
            out.append(f"{question} {figures}")
    for name, first, last in s.measures:
        out.append(
            _(
                "%(measure)s: %(first)s of %(first_max)s on %(first_on)s, "
                "%(last)s of %(last_max)s on %(last_on)s.",
                measure=name,
                first=first.total,
                first_max=first.max_total,
                first_on=first.on.isoformat(),
                last=last.total,
                last_max=last.max_total,
                last_on=last.on.isoformat(),
            )
        )
    return out


def fhir_bundle(s: Summary) -> dict[str, Any]:
    """A FHIR R4B document Bundle: the Composition first, then the Patient and the CarePlan.
    Codes stay as they are; the narrative (titles, text) is in the language being rendered."""
    assert s.client_id is not None
    pid = str(s.client_id)
    key = s.discharge_id or uuid5(NAMESPACE_URL, f"groundwork:discharge:{pid}:{s.discharged_on}")
    comp_id = str(uuid5(NAMESPACE_URL, f"groundwork:composition:{key}"))
    plan_id = str(uuid5(NAMESPACE_URL, f"groundwork:occupation-careplan:{pid}"))
    patient_ref = {"reference": f"urn:uuid:{pid}", "display": s.client_name}
    goals_text = [f"{g.title}: {_(g.label)}" for g in s.goals]
    composition = {
        "resourceType": "Composition",
        "id": comp_id,
        "status": "final",
        "type": {
            "coding": [{"system": LOINC, "code": DISCHARGE_LOINC, "display": "Discharge summary"}],
            "text": _("Discharge summary"),
        },
        "subject": patient_ref,
        "date": s.generated_at.isoformat(),
        "author": [{"display": s.prepared_by}],
        "title": _("Discharge summary: %(name)s", name=s.client_name),
        "section": [
            _section(_("Where we started and where things are now"), _start_end_lines(s)),
            _section(_("Goals"), goals_text),
            _section(_("What helped"), [s.what_helped, *s.supports]),
            _section(_("In my own words"), [s.client_words]),
            _section(_("The plan to keep going"), [s.keep_going]),
        ],
    }
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": plan_id,
        "status": "completed",
        "intent": "plan",
        "title": _("Occupational therapy plan"),
        "subject": patient_ref,
        "period": {"end": s.discharged_on.isoformat()},
        "description": s.keep_going or _("Keep going with what helped."),
        "activity": [
            {"detail": {"status": "completed", "description": title}} for title in s.supports
        ],
    }
    if s.start_on is not None:
        care_plan["period"]["start"] = s.start_on.isoformat()
    if not care_plan["activity"]:
        del care_plan["activity"]
    patient = {"resourceType": "Patient", "id": pid, "name": [{"text": s.client_name}]}
    return {
        "resourceType": "Bundle",
        "type": "document",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{comp_id}"},
        "timestamp": s.generated_at.isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{r['id']}", "resource": r}
            for r in (composition, patient, care_plan)
        ],
    }
