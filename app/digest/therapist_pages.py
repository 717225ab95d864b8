"""Digest pages for the therapist: the settings form at /settings/digest (included by pages.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from app.accounts.dependencies import CurrentTherapist
from app.accounts.web import see_other
from app.db import SessionDep
from app.digest import service
from app.forms import FormResult, read_form, submit_form
from app.schema_types import ApiModel
from app.templates import render

router = APIRouter()

HOURS = [(str(h), f"{h:02d}:00") for h in range(24)]
PLAIN_ERRORS = {
    "send_hour": "Choose an hour from the list (00:00 to 23:00).",
    "enabled": "Tick the box or leave it empty.",
    "excerpts": "Tick the box or leave it empty.",
}


class DigestForm(ApiModel):
    """Checkboxes are absent when unticked, so both default to off."""

    enabled: bool = False
    send_hour: int = Field(ge=0, le=23)
    excerpts: bool = False


def _page(
    request: Request,
    principal: CurrentTherapist,
    form: FormResult[DigestForm],
    *,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "digest/settings.html",
        {
            "form": form,
            "hours": HOURS,
            "time_zone": principal.user.time_zone,
            "saved": saved,
            "has_email": bool(principal.user.email),
        },
        status_code=status_code,
    )


@router.get("/settings/digest", response_class=HTMLResponse)
def settings_page(
    request: Request, session: SessionDep, principal: CurrentTherapist, saved: str | None = None
) -> Response:
    pref = service.preference(session, principal.id)
    values = {"enabled": pref.enabled, "send_hour": str(pref.send_hour), "excerpts": pref.excerpts}
    return _page(request, principal, FormResult(values=values), saved=saved is not None)


@router.post("/settings/digest", response_class=HTMLResponse)
async def save_settings(
    request: Request, session: SessionDep, principal: CurrentTherapist
) -> Response:
    values = {k: v for k, v in (await read_form(request)).items() if k in DigestForm.model_fields}

    def save(data: DigestForm) -> Response:
        service.save(
            session,
            therapist=principal.user,
            enabled=data.enabled,
            send_hour=data.send_hour,
            excerpts=data.excerpts,
        )
        return see_other("/settings/digest?saved=1")

    def show(form: FormResult[DigestForm], status: int) -> Response:
        for name, plain in PLAIN_ERRORS.items():
            if name in form.errors:  # pydantic's wording is for developers
                form.add_error(name, plain)
        return _page(request, principal, form, status_code=status)

    return await submit_form(request, DigestForm, save=save, show=show, values=values)
