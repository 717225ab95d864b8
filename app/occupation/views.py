"""Pages shared by the client (/occupation) and their therapist (/caseload/{id}/occupation):
the same form and the same words for both, so what one fills in is what the other sees."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from app import clock, versioning
from app.accounts.models import User
from app.accounts.web import see_other
from app.db import SessionDep
from app.errors import Message
from app.forms import WHOLE_FORM, FormResult, finish_form, validate, worded
from app.i18n import N_
from app.i18n import gettext as _
from app.occupation import diary, diary_service, interests, scores, service
from app.occupation.schemas import (
    ActivityIn,
    DiaryEntryIn,
    InterestIn,
    ProfileIn,
    RatingIn,
    RoundIn,
)
from app.schema_types import ApiModel
from app.templates import render
from app.web_security import Principal

M = TypeVar("M", bound=BaseModel)

SCALES: tuple[tuple[str, str, str], ...] = (
    ("importance", N_("How much it matters to me"), N_("1 = not much, 10 = a great deal")),
    ("performance", N_("How well I do it now"), N_("1 = not at all well, 10 = very well")),
    ("satisfaction", N_("How happy I am with how it goes"), N_("1 = not at all, 10 = very")),
)


def translated(errors: dict[str, str]) -> dict[str, str]:
    """Errors kept outside a form, in the reader's language (as `forms.worded`)."""
    return {name: Message(problem).translated() for name, problem in errors.items()}


def _common(principal: Principal, client: User, base: str) -> dict[str, Any]:
    return {"client": client, "base": base, "as_therapist": principal.id != client.id}


def _profile_values(session: SessionDep, client: User) -> dict[str, Any]:
    row = service.latest_profile(session, client.id)
    return {versioning.VERSION_FIELD: row.version if row else 0, **service.profile_values(row)}


def profile_form(
    request: Request,
    session: SessionDep,
    principal: Principal,
    client: User,
    base: str,
    form: FormResult[ProfileIn] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    history = service.profile_history(session, client.id)
    return render(
        request,
        "occupation/profile.html",
        {
            **_common(principal, client, base),
            "form": worded(form) or FormResult(values=_profile_values(session, client)),
            "fields": service.PROFILE_FIELDS,
            "latest": history[0] if history else None,
            "history": history[:10],
        },
        status_code=status_code,
    )


def profile_submit(
    request: Request,
    session: SessionDep,
    principal: Principal,
    client: User,
    base: str,
    values: dict[str, Any],
) -> Response:
    """Save from the form (or from the conflict page, whose per-field choices are applied to the
    profile as it is now)."""
    current = service.latest_profile(session, client.id)
    values = versioning.apply_choices(
        values, fields=service.PROFILE_VFIELDS, current=service.profile_values(current)
    )

    def save(data: ProfileIn) -> Response:
        try:
            service.save_profile(
                session,
                principal=principal,
                client=client,
                data=data,
                expected=versioning.form_version(values),
            )
        except versioning.EditConflict as conflict:  # its own page, not an error beside a field
            title = (
                _("About me")
                if principal.id == client.id
                else _("%(name)s's profile", name=client.preferred_name)
            )
            return versioning.render_conflict(
                request,
                conflict,
                title=title,
                action=f"{base}/profile",
                values=values,
                cancel=base,
            )
        return see_other(f"{base}?saved=profile")

    def show(form: FormResult[ProfileIn], status: int) -> Response:
        form.values[versioning.VERSION_FIELD] = values.get(versioning.VERSION_FIELD, "")
        return profile_form(request, session, principal, client, base, form, status_code=status)

    fields = {k: v for k, v in values.items() if k != versioning.VERSION_FIELD}
    return finish_form(validate(ProfileIn, fields), save=save, show=show, refusal_status=None)


def profile_print(request: Request, session: SessionDep, client: User, base: str) -> Response:
    return render(
        request,
        "occupation/profile_print.html",
        {
            "client": client,
            "base": base,
            "profile": service.latest_profile(session, client.id),
            "fields": service.PROFILE_FIELDS,
        },
    )


def ratings_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    client: User,
    base: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    perf = service.performance(session, client.id)
    latest = perf.rounds[-1] if perf.rounds else None
    defaults: dict[str, Any] = {}
    for a in perf.activities:
        prev = latest.ratings.get(a.id) if latest else None
        for key, _label, _hint in SCALES:
            defaults[f"{key}-{a.id}"] = str(getattr(prev, key)) if prev else ""
    return render(
        request,
        "occupation/ratings.html",
        {
            **_common(principal, client, base),
            "perf": perf,
            "change": perf.change(),
            "scales": SCALES,
            "values": values or defaults,
            "errors": translated(errors or {}),
            "max_activities": scores.MAX_ACTIVITIES,
            "meaningful": scores.MEANINGFUL_CHANGE,
            "today": clock.local_today(client.time_zone),
            # A fresh id per form: a double-tapped or resent save is stored once.
            "round_id": uuid.uuid4(),
        },
        status_code=status_code,
    )


def add_activity(
    request: Request,
    session: SessionDep,
    principal: Principal,
    client: User,
    base: str,
    values: dict[str, Any],
) -> Response:
    def save(data: ActivityIn) -> Response:
        service.add_activity(session, principal=principal, client=client, data=data)
        return see_other(f"{base}/activities#h-rate")

    def show(form: FormResult[ActivityIn], status: int) -> Response:
        errors = {"title": form.errors.get("title", N_("Name the activity."))}
        return ratings_page(
            request, session, principal, client, base, errors=errors, status_code=status
        )

    return finish_form(
        validate(ActivityIn, {"title": values.get("title", "")}),
        save=save,
        show=show,
        otherwise="title",
        refusal_status=None,
    )


def rate(
    request: Request,
    session: SessionDep,
    principal: Principal,
    client: User,
    base: str,
    values: dict[str, Any],
) -> Response:
    """One round from the form's selects (importance-<id>, performance-<id>, satisfaction-<id>)."""
    activities = service.active_activities(session, client.id)
    errors: dict[str, str] = {}
    ratings: list[RatingIn] = []
    for a in activities:
        row: dict[str, Any] = {"activity_id": str(a.id)}
        for key, label, _hint in SCALES:
            raw = str(values.get(f"{key}-{a.id}", "") or "")
            if not raw.isdigit() or not scores.LOW <= int(raw) <= scores.HIGH:
                errors[f"{key}-{a.id}"] = _(
                    "Choose a number from 1 to 10 for “%(scale)s”.", scale=_(label).lower()
                )
            else:
                row[key] = int(raw)
        if len(row) == 1 + len(SCALES):
            ratings.append(RatingIn.model_validate(row))
    if not errors and not ratings:
        errors["title"] = N_("Add an activity first.")
    form = FormResult[RoundIn](
        values=values,
        data=None if errors else RoundIn(id=_uuid(values.get("id")), ratings=ratings),
        errors=errors,
    )

    def save(data: RoundIn) -> Response:
        service.rate(session, principal=principal, client=client, data=data)
        return see_other(f"{base}/activities?saved=1#h-history")

    def show(form: FormResult[RoundIn], status: int) -> Response:
        return ratings_page(
            request,
            session,
            principal,
            client,
            base,
            errors=form.errors,
            values=form.values,
            status_code=status,
        )

    return finish_form(form, save=save, show=show, otherwise="title", refusal_status=None)


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# --- diary --------------------------------------------------------------------------------------


def diary_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    client: User,
    base: str,
    *,
    start: date | None = None,
    form: FormResult[DiaryEntryIn] | None = None,
    status_code: int = 200,
) -> Response:
    today = clock.local_today(client.time_zone)
    week = diary_service.week_view(
        session,
        client_id=client.id,
        starts_on=diary_service.week_start_for(session, client=client, asked=start),
    )
    running = diary_service.current_week(session, client_id=client.id, today=today)
    block = diary.block_of_hour(clock.now().astimezone(_zone(client)).hour)
    return render(
        request,
        "occupation/diary.html",
        {
            **_common(principal, client, base),
            "week": week,
            "running": running,
            "today": today,
            "blocks": diary.BLOCKS,
            "categories": diary.CATEGORIES,
            "category_labels": diary.CATEGORY_LABELS,
            "short_labels": diary.SHORT_LABELS,
            "form": worded(form)
            or FormResult(values={"done_on": today.isoformat(), "block": block, "category": ""}),
            "prev_start": week.starts_on - timedelta(days=7),
            "next_start": week.starts_on + timedelta(days=7),
            "backfill_from": today - timedelta(days=diary_service.BACKFILL_DAYS),
        },
        status_code=status_code,
    )


def _zone(client: User) -> ZoneInfo:
    return ZoneInfo(client.time_zone)


def diary_submit(
    request: Request,
    session: SessionDep,
    principal: Principal,
    client: User,
    base: str,
    values: dict[str, Any],
) -> Response:
    def save(data: DiaryEntryIn) -> Response:
        row = diary_service.record(session, client=client, data=data)
        week = diary_service.week_start_for(session, client=client, asked=None)
        start = week if week <= row.done_on < week + timedelta(days=7) else row.done_on
        return see_other(f"{base}/diary?start={start.isoformat()}&saved=1#h-week")

    return finish_form(
        validate(DiaryEntryIn, values),
        save=save,
        show=lambda form, status: diary_page(
            request, session, principal, client, base, form=form, status_code=status
        ),
        otherwise="done_on",
    )


# --- interests ----------------------------------------------------------------------------------


def interests_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    client: User,
    base: str,
    *,
    error: str = "",
    status_code: int = 200,
) -> Response:
    rows = {i.name: i for i in interests.interests(session, client.id)}
    own = sorted(n for n in rows if n not in interests.CHECKLIST_NAMES)
    return render(
        request,
        "occupation/interests.html",
        {
            **_common(principal, client, base),
            "checklist": [*interests.CHECKLIST, (N_("My own"), tuple(own))]
            if own
            else interests.CHECKLIST,
            "rows": rows,
            "error": translated({"error": error})["error"] if error else "",
            "checklist_names": interests.CHECKLIST_NAMES,
            "group_title": interests.group_title,
            "interest_name": interests.shown_name,
        },
        status_code=status_code,
    )


class Checklist(ApiModel):
    """The interests checklist as one form: every ticked row, each already validated."""

    items: list[InterestIn]


def interests_submit(
    request: Request,
    session: SessionDep,
    principal: Principal,
    client: User,
    base: str,
    values: dict[str, Any],
) -> Response:
    """Checkbox names are `past:<name>`, `present:<name>`, `try:<name>`; `new` adds one's own."""
    ticked: dict[str, dict[str, bool]] = {}
    for key in values:
        kind, _, name = key.partition(":")
        if kind in ("past", "present", "try") and name:
            ticked.setdefault(name, {})[kind] = True
    new = str(values.get("new", "") or "").strip()
    if new:
        ticked.setdefault(new, {})["try"] = True
    items: list[InterestIn] = []
    for name, kinds in ticked.items():
        row = validate(
            InterestIn,
            {
                "name": name,
                "past": kinds.get("past", False),
                "present": kinds.get("present", False),
                "want_to_try": kinds.get("try", False),
            },
        )
        if row.data is not None:
            items.append(row.data)
    form = FormResult[Checklist](values=values, data=Checklist(items=items))
    if len(items) < len(ticked):
        form.add_error(WHOLE_FORM, N_("Keep each interest under 80 characters."))

    def save(data: Checklist) -> Response:
        interests.save_checklist(session, principal=principal, client=client, items=data.items)
        return see_other(f"{base}/interests?saved=1")

    def show(form: FormResult[Checklist], status: int) -> Response:
        # One list of checkboxes, so one message above it.
        error = next(iter(form.errors.values()))
        return interests_page(
            request, session, principal, client, base, error=error, status_code=status
        )

    return finish_form(form, save=save, show=show, refusal_status=None)
