"""Page handlers shared by the client's pages (/sensory…) and the therapist's (/caseload/{id}/sensory…).

The same forms serve both: `base` is where the pages live, so a therapist editing a client's profile
sees exactly what the client sees.
"""

from __future__ import annotations

import uuid
from typing import Any, ParamSpec
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from app import versioning
from app.accounts import policy
from app.accounts.models import RecordKind, User
from app.accounts.web import see_other
from app.forms import FormResult, read_form, validate
from app.i18n import gettext as _
from app.sensory import diet, diet_edits, diet_queries, diet_service, reminders_link, service
from app.sensory.diet_service import DietError, DietInput
from app.sensory.models import SensoryDietItem
from app.sensory.profile import ProfileError, summarize, validate_answers
from app.sensory.schemas import DietItemForm
from app.sensory.vocabulary import KIT_ITEMS, SYSTEMS
from app.sensory.words import activity_title, current_activities, current_checklist
from app.templates import render
from app.web_security import Principal

P = ParamSpec("P")


def as_list(value: Any) -> list[str]:
    """Form checkboxes arrive as nothing, one string, or a list of strings."""
    if value in (None, ""):
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


def _shared(client: User, base: str, principal: Principal) -> dict[str, Any]:
    return {
        "client": client,
        "base": base,
        "as_therapist": str(principal.role) == "therapist",
        "checklist": current_checklist(),
        "kit_items": KIT_ITEMS,
        "activities": current_activities(),
        "felt_labels": diet.felt_labels(),
        "weekday_names": diet.weekday_names(),
        "item_title": lambda item: activity_title(item.activity_id, item.title),
        # The reader's wall clock, for dates worded by the Babel filters (friendly_date, format_time).
        "in_zone": lambda moment: moment.astimezone(ZoneInfo(principal.user.time_zone)),
        "describe_days": lambda mask: diet.describe_days(diet_service.days_of(mask)),
        "cautions_for": diet_service.cautions_for,
    }


def summary_page(
    request: Request, session: Session, principal: Principal, client: User, base: str
) -> Response:
    as_therapist = str(principal.role) == "therapist"
    # A profile the client keeps private is, to their therapist, as if none were filled in.
    shared = policy.may_see_kind(session, principal, client.id, RecordKind.sensory)
    row = service.latest_profile(session, client.id) if shared else None
    name = client.preferred_name if as_therapist else None
    context = {
        **_shared(client, base, principal),
        "profile": row,
        "summary": summarize(service.answers_of(row), name=name),
        "history": service.profile_history(session, client_id=client.id) if shared else [],
        "profile_shared": shared,
        "kit": service.get_kit(session, client.id),
        "items": diet_service.list_items(session, client=client),
        "report": diet_queries.report(session, client) if as_therapist else None,
        "saved": request.query_params.get("saved"),
    }
    template = "sensory/therapist.html" if as_therapist else "sensory/summary.html"
    return render(request, template, context)


def profile_form(
    request: Request,
    session: Session,
    principal: Principal,
    client: User,
    base: str,
    form: FormResult[Any] | None = None,
    status_code: int = 200,
) -> Response:
    if form is None:
        answers = service.answers_of(service.latest_profile(session, client.id))
        values: dict[str, Any] = {}
        if answers is not None:
            values = {f"r_{s}": r for s, r in answers.responses.items()}
            values.update(
                triggers=sorted(answers.triggers),
                calming=sorted(answers.calming),
                alerting=sorted(answers.alerting),
                notes=answers.notes,
            )
        form = FormResult(values=values)
    context = {**_shared(client, base, principal), "form": form}
    return render(request, "sensory/profile_form.html", context, status_code=status_code)


def profile_submit(
    request: Request,
    session: Session,
    principal: Principal,
    client: User,
    base: str,
    values: dict[str, Any],
) -> Response:
    for kind in ("triggers", "calming", "alerting"):
        values[kind] = as_list(values.get(kind))
    form: FormResult[Any] = FormResult(values=values)
    try:
        answers = validate_answers(
            responses={s: str(values.get(f"r_{s}") or "") for s in SYSTEMS},
            triggers=values["triggers"],
            calming=values["calming"],
            alerting=values["alerting"],
            notes=str(values.get("notes") or ""),
        )
    except ProfileError as err:
        form.add_error(err.field.replace("responses.", "r_"), _(err.message))
        return profile_form(request, session, principal, client, base, form, 422)
    service.save_profile(session, principal=principal, client_id=client.id, answers=answers)
    return see_other(f"{base}?saved=profile")


def kit_form(
    request: Request,
    session: Session,
    principal: Principal,
    client: User,
    base: str,
    form: FormResult[Any] | None = None,
    status_code: int = 200,
) -> Response:
    if form is None:
        kit = service.get_kit(session, client.id)
        form = FormResult(
            values={
                "items": kit.items if kit else [],
                "corner_items": kit.corner_items if kit else [],
                "corner_location": kit.corner_location if kit else "",
                "corner_notes": kit.corner_notes if kit else "",
            }
        )
    context = {**_shared(client, base, principal), "form": form}
    return render(request, "sensory/kit_form.html", context, status_code=status_code)


def kit_submit(
    request: Request,
    session: Session,
    principal: Principal,
    client: User,
    base: str,
    values: dict[str, Any],
) -> Response:
    values["items"], values["corner_items"] = (
        as_list(values.get("items")),
        as_list(values.get("corner_items")),
    )
    form: FormResult[Any] = FormResult(values=values)
    location, notes = (
        str(values.get("corner_location") or ""),
        str(values.get("corner_notes") or ""),
    )
    if len(location) > 200 or "\x00" in location:
        form.add_error("corner_location", _("Keep this under 200 characters."))
    if len(notes) > 1000 or "\x00" in notes:
        form.add_error("corner_notes", _("Keep this under 1000 characters."))
    if set(values["items"]) - KIT_ITEMS.keys() or set(values["corner_items"]) - KIT_ITEMS.keys():
        form.add_error("items", _("Choose items from the list."))
    if form.errors:
        return kit_form(request, session, principal, client, base, form, 422)
    service.save_kit(
        session,
        principal=principal,
        client_id=client.id,
        items=values["items"],
        corner_items=values["corner_items"],
        corner_location=location,
        corner_notes=notes,
    )
    return see_other(f"{base}?saved=kit")


def _item_values(item: SensoryDietItem) -> dict[str, Any]:
    return diet_edits.form_values(item) | {versioning.VERSION_FIELD: str(item.version)}


def diet_page(
    request: Request,
    session: Session,
    principal: Principal,
    client: User,
    base: str,
    form: FormResult[Any] | None = None,
    editing: SensoryDietItem | None = None,
    status_code: int = 200,
) -> Response:
    if form is None:
        values = (
            _item_values(editing)
            if editing
            else {"days": [str(d) for d in range(7)], "local_time": "08:00"}
        )
        form = FormResult(values=values)
    context = {
        **_shared(client, base, principal),
        "form": form,
        "editing": editing,
        "items": diet_service.list_items(session, client=client),
        "reminders_available": reminders_link.available(),
        "added": request.query_params.get("added"),
        "new_id": uuid.uuid4(),
    }
    template = "sensory/diet_edit.html" if editing else "sensory/diet.html"
    return render(request, template, context, status_code=status_code)


def diet_submit(
    request: Request,
    session: Session,
    principal: Principal,
    client: User,
    base: str,
    values: dict[str, Any],
    editing: SensoryDietItem | None = None,
) -> Response:
    if editing is not None:
        values = versioning.apply_choices(
            values, fields=diet_edits.FIELDS, current=diet_edits.form_values(editing)
        )
    values["days"] = as_list(values.get("days"))
    new_id = _parse_uuid(values.pop("id", None))
    expected = versioning.form_version(values)
    version = values.pop(versioning.VERSION_FIELD, None)
    form = validate(DietItemForm, values)
    if new_id is not None:
        form.values["id"] = str(new_id)
    if version is not None:
        form.values[versioning.VERSION_FIELD] = version  # shown again with the form, unchanged
    if form.ok and form.data is not None:
        data = form.data
        request_input = DietInput(
            local_time=data.local_time,
            days=frozenset(data.days),
            activity_id=data.activity_id,
            title=data.title,
            minutes=data.minutes,
            effect=data.effect,
            course=data.course,
            notes=data.notes or "",
            remind=data.remind,
        )
        try:
            if editing is None:
                diet_service.create_item(
                    session, principal=principal, client=client, data=request_input, item_id=new_id
                )
                return see_other(f"{base}/diet?added=1")
            diet_service.update_item(
                session,
                principal=principal,
                client=client,
                item=editing,
                data=request_input,
                expected=expected,
            )
            return see_other(f"{base}/diet?added=0")
        except versioning.EditConflict as conflict:
            assert editing is not None  # only an update can meet a newer version
            url = f"{base}/diet/{editing.id}"
            return versioning.render_conflict(
                request,
                conflict,
                title=activity_title(editing.activity_id, editing.title),
                action=url,
                values=form.values,
                cancel=url,
            )
        except DietError as err:
            form.add_refusal(err)
    return diet_page(request, session, principal, client, base, form, editing, 422)


async def diet_remove(
    request: Request,
    session: Session,
    principal: Principal,
    client: User,
    base: str,
    item: SensoryDietItem,
) -> Response:
    """Take an item out of the plan, unless it changed since the list was opened: then the
    person is shown it as it is now and can remove it again."""
    expected = versioning.form_version(await read_form(request))
    try:
        diet_service.end_item(
            session, principal=principal, client=client, item=item, expected=expected
        )
    except versioning.EditConflict:
        return see_other(f"{base}/diet/{item.id}?changed=1")
    return see_other(f"{base}/diet")


def _parse_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
