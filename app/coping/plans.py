"""Safety plan (Stanley–Brown's six steps plus reasons for living) and the wellness and recovery
plan, in the client's own words. Client and therapist both edit; every save keeps a version.
Also the crisis lines a client sees: the national ones for their country plus their clinic's own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app import clock, versioning
from app.accounts.models import Role, User
from app.audit import service as audit
from app.coping.models import ClinicCrisisLine, Plan, PlanVersion
from app.crisis import service as crisis_service
from app.errors import NotFound, Unprocessable
from app.i18n import N_, gettext, use_language

PlanKind = Literal["safety", "wellness"]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    hint: str


SAFETY_SECTIONS: Final = (
    Section(
        "warning_signs",
        N_("Warning signs that a crisis may be coming"),
        N_("Thoughts, feelings, situations or behaviours you notice first."),
    ),
    Section(
        "coping_alone",
        N_("Things I can do on my own to cope"),
        N_("What helps you take your mind off things, without contacting anyone."),
    ),
    Section(
        "distractions",
        N_("People and places that take my mind off things"),
        N_("Places you can go and people you can be around."),
    ),
    Section(
        "ask_for_help",
        N_("People I can ask for help"),
        N_("Names and how to reach them."),
    ),
    Section(
        "professionals",
        N_("Professionals and services"),
        N_("Your therapist, your doctor, crisis lines, the nearest emergency department."),
    ),
    Section(
        "safe_surroundings",
        N_("Making my surroundings safe"),
        N_("Steps to keep things you could use to hurt yourself away or out of reach."),
    ),
    Section(
        "reasons_for_living",
        N_("My reasons for living"),
        N_("What matters most to you."),
    ),
)
WELLNESS_SECTIONS: Final = (
    Section(
        "when_well",
        N_("What I'm like when I'm well"),
        N_("How you, and others, would describe you."),
    ),
    Section(
        "daily",
        N_("What I do every day to stay well"),
        N_("Small things that keep you well."),
    ),
    Section(
        "triggers",
        N_("Triggers and what I do about them"),
        N_("Outside events that can upset you, and your plan for each."),
    ),
    Section(
        "early_signs",
        N_("Early warning signs and what I do"),
        N_("Changes inside you that tell you things are slipping, and your plan."),
    ),
    Section(
        "breaking_down",
        N_("When things are breaking down"),
        N_("How it looks when things are much worse, and what you and others will do."),
    ),
)
SECTIONS: Final[dict[str, tuple[Section, ...]]] = {
    "safety": SAFETY_SECTIONS,
    "wellness": WELLNESS_SECTIONS,
}
TITLES: Final = {"safety": N_("My safety plan"), "wellness": N_("My wellness and recovery plan")}
NAMES: Final = {"safety": "safety plan", "wellness": "wellness and recovery plan"}


def plan_fields(kind: PlanKind) -> tuple[versioning.Field, ...]:
    """What an edit conflict compares: each section, line by line."""
    return tuple(versioning.Field(s.key, s.title, lines=True) for s in SECTIONS[kind])


def get_plan(session: Session, client_id: uuid.UUID, kind: PlanKind) -> Plan | None:
    stmt = select(Plan).where(Plan.client_id == client_id, Plan.kind == kind)
    return session.exec(stmt).first()


@dataclass(frozen=True)
class PlanStamp:
    """What a link to a plan shows: its version and when it was last saved."""

    version: int
    updated_at: datetime


def plan_stamps(session: Session, client_id: uuid.UUID) -> dict[str, PlanStamp]:
    """Both plans' versions in one light query (no plan text loaded)."""
    rows = session.execute(
        sa_select(col(Plan.kind), col(Plan.version), col(Plan.updated_at)).where(
            col(Plan.client_id) == client_id
        )
    ).all()
    return {kind: PlanStamp(version, at) for kind, version, at in rows}


def sections_of(
    plan: Plan | None, kind: PlanKind, *, prefill: dict[str, str] | None = None
) -> list[tuple[Section, str]]:
    """Saved text per section; a plan not started yet shows `prefill` to start from."""
    saved = plan.sections if plan else (prefill or {})
    return [(s, saved.get(s.key, "")) for s in SECTIONS[kind]]


def safety_prefill(session: Session, client: User) -> dict[str, str]:
    """A new safety plan starts with the crisis lines for the client's country (and clinic),
    written in the client's language: it becomes their own text once saved."""
    lines = crisis_lines(session, client)
    parts = []
    with use_language(client.language):
        joiner = f" {gettext('or')} "
        for line in lines["lines"]:
            ways = [
                gettext("call %(phone)s", phone=line["phone"]) if line["phone"] else "",
                gettext("text %(sms)s", sms=line["sms"]) if line["sms"] else "",
            ]
            parts.append(f"{line['name']}: {joiner.join(x for x in ways if x)}")
        numbers = lines["emergency_numbers"]
        parts.append(
            gettext("Emergency: %(numbers)s", numbers=joiner.join(numbers))
            if numbers
            else gettext("Emergency: local emergency services")
        )
    return {"professionals": "\n".join(parts)}


def changed_by(session: Session, plan: Plan | None, actor: User) -> str:
    """Who saved the current version, as the person looking at a conflict would say it."""
    if plan is None:
        return ""
    if plan.updated_by_id == actor.id:
        return "You (on another screen)"
    author = session.get(User, plan.updated_by_id)
    if author is None:
        return ""
    return (
        author.preferred_name
        if author.role == Role.client
        else f"{author.preferred_name} (therapist)"
    )


def save_plan(
    *,
    session: Session,
    actor: User,
    client: User,
    kind: PlanKind,
    sections: dict[str, str],
    expected: versioning.Expected = None,
) -> Plan:
    """Save a new version. Unknown section keys are ignored; empty sections are kept empty.
    `expected`: the versions the person edited from; a newer plan that differs raises EditConflict
    (a plan not made yet is version 0)."""
    clean = {s.key: sections.get(s.key, "").strip() for s in SECTIONS[kind]}
    plan = get_plan(session, client.id, kind)
    versioning.require(
        expected,
        what=NAMES[kind],
        version=plan.version if plan else 0,
        fields=plan_fields(kind),
        yours=clean,
        current=plan.sections if plan else {},
        changed_by=changed_by(session, plan, actor),
    )
    now = clock.now()
    if plan is None:
        plan = Plan(
            client_id=client.id,
            kind=kind,
            sections=clean,
            version=1,
            updated_at=now,
            updated_by_id=actor.id,
        )
        session.add(plan)
        session.flush()
    else:
        if plan.sections == clean:
            return plan
        plan.sections = clean
        plan.version += 1
        plan.updated_at = now
        plan.updated_by_id = actor.id
    session.add(
        PlanVersion(
            plan_id=plan.id,
            version=plan.version,
            sections=clean,
            created_at=now,
            created_by_id=actor.id,
        )
    )
    audit.add(
        session,
        actor=actor,
        client_id=client.id,
        action=f"coping.{kind}_plan.save",
        detail=f"version {plan.version}",
    )
    session.commit()
    return plan


@dataclass(frozen=True)
class VersionInfo:
    version: int
    created_at: Any
    by_therapist: bool
    by_name: str
    sections: dict[str, str]


def versions(session: Session, plan: Plan) -> list[VersionInfo]:
    rows = session.exec(
        select(PlanVersion, User.role, User.preferred_name)
        .join(User, col(User.id) == col(PlanVersion.created_by_id))
        .where(PlanVersion.plan_id == plan.id)
        .order_by(col(PlanVersion.version).desc())
    )
    return [
        VersionInfo(v.version, v.created_at, role != Role.client, name, v.sections)
        for v, role, name in rows
    ]


def clinic_lines(session: Session, organisation_id: uuid.UUID | None) -> list[ClinicCrisisLine]:
    if organisation_id is None:
        return []
    stmt = select(ClinicCrisisLine).where(ClinicCrisisLine.organisation_id == organisation_id)
    return list(session.exec(stmt.order_by(col(ClinicCrisisLine.created_at))))


def national_lines(country: str | None, language: str = "en") -> dict[str, Any]:
    """The person's own country's help as plain data (the calm flow, the sync bundle): its
    emergency numbers and checked lines, or for an unknown country no numbers at all and the
    helpline directory — never another country's (app/crisis/service.py)."""
    national = crisis_service.for_country(country, language) or crisis_service.no_country()
    shown = {"name", "phone", "sms", "sms_body", "source", "checked_on"}
    lines = [
        line.model_dump(mode="json", include=shown)
        | {
            "description": line.description_in(language),
            "tel_href": line.tel_href,
            "sms_href": line.sms_href,
        }
        for line in national.lines
    ]
    return {
        "country": national.name,
        "emergency": national.emergency or "",
        "emergency_numbers": list(national.emergency_numbers),
        "has_checked_lines": national.has_checked_lines,
        "directory_url": national.directory_url,
        "lines": lines,
        "verified_on": crisis_service.directory().verified_on,
    }


def crisis_lines(session: Session | None, user: User | None) -> dict[str, Any]:
    """National help for the person's own country, then their clinic's own additions (nobody
    logged in: no country, so no national numbers; no database needed)."""
    help_ = national_lines(user.country if user else None, user.language if user else "en")
    extra = clinic_lines(session, user.organisation_id) if user and session else []
    help_["lines"] = help_["lines"] + [
        {
            "name": x.name,
            "description": x.description,
            "phone": x.phone,
            "sms": x.sms,
            "sms_body": None,
            "source": None,
            "checked_on": None,
            "tel_href": f"tel:{x.phone.replace(' ', '')}" if x.phone else None,
            "sms_href": f"sms:{x.sms.replace(' ', '')}" if x.sms else None,
        }
        for x in extra
    ]
    return help_


def add_clinic_line(
    *,
    session: Session,
    admin: User,
    name: str,
    description: str,
    phone: str | None,
    sms: str | None,
) -> ClinicCrisisLine:
    assert admin.organisation_id is not None
    if not (phone or sms):
        raise Unprocessable("Give a phone number or a text number.", field="phone")
    line = ClinicCrisisLine(
        organisation_id=admin.organisation_id,
        name=name,
        description=description,
        phone=phone or None,
        sms=sms or None,
        created_by_id=admin.id,
    )
    session.add(line)
    audit.add(session, actor=admin, action="coping.crisis_line.add", detail=name)
    session.commit()
    return line


def remove_clinic_line(*, session: Session, admin: User, line_id: uuid.UUID) -> None:
    line = session.get(ClinicCrisisLine, line_id)
    if line is None or line.organisation_id != admin.organisation_id:
        raise NotFound()
    session.delete(line)
    audit.add(session, actor=admin, action="coping.crisis_line.remove", detail=line.name)
    session.commit()
