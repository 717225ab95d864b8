"""The therapist's caseload: add a client (and their invite), view a client, end care."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import clock
from app.accounts import service
from app.accounts.dependencies import AccessibleClient, CurrentTherapist
from app.accounts.models import User
from app.accounts.schemas import ClientCreate
from app.accounts.service import IssuedInvite
from app.accounts.web import see_other
from app.config import get_settings
from app.countries import country_choices, country_name, is_country
from app.db import SessionDep
from app.forms import FormResult, submit_form
from app.i18n import request_language
from app.sections import client_overview_sections
from app.templates import render

router = APIRouter()


def _new_client_context(request: Request, therapist: CurrentTherapist) -> dict[str, object]:
    return {
        "countries": country_choices(request_language(request)),
        "zones": clock.sorted_zones(),
        "default_zone": therapist.user.time_zone,
        "default_country": therapist.user.country,
    }


def _invite_page(
    request: Request, client: User, issued: IssuedInvite, *, status_code: int = 200
) -> Response:
    """Shown once: only hashes are stored, so the link cannot be shown again later."""
    settings = get_settings()
    return render(
        request,
        "accounts/invite_issued.html",
        {
            "client": client,
            "issued": issued,
            "days": settings.invite_link_days,
            "link": settings.base_url + issued.path,
        },
        status_code=status_code,
    )


@router.get("/caseload", response_class=HTMLResponse)
def caseload(request: Request, session: SessionDep, therapist: CurrentTherapist) -> Response:
    rows = service.caseload(session, therapist.id)
    return render(request, "accounts/caseload.html", {"rows": rows})


@router.get("/caseload/new", response_class=HTMLResponse)
def new_client_page(request: Request, therapist: CurrentTherapist) -> Response:
    form: FormResult[ClientCreate] = FormResult(
        values={"time_zone": therapist.user.time_zone, "country": therapist.user.country}
    )
    return render(
        request,
        "accounts/client_new.html",
        {"form": form, **_new_client_context(request, therapist)},
    )


@router.post("/caseload/new", response_class=HTMLResponse)
async def new_client_submit(
    request: Request, session: SessionDep, therapist: CurrentTherapist
) -> Response:
    context = _new_client_context(request, therapist)

    def save(data: ClientCreate) -> Response:
        client, issued = service.create_client(
            session,
            therapist=therapist,
            name=data.name,
            email=data.email,
            time_zone=data.time_zone,
            country=data.country,
        )
        return _invite_page(request, client, issued, status_code=201)

    return await submit_form(
        request,
        ClientCreate,
        save=save,
        show=lambda form, status: render(
            request, "accounts/client_new.html", {"form": form, **context}, status_code=status
        ),
        refusal_status=None,
    )


@router.post("/caseload/{client_id}/invite", response_class=HTMLResponse)
def reissue_invite(
    client: AccessibleClient, request: Request, session: SessionDep, therapist: CurrentTherapist
) -> Response:
    issued = service.reissue_client_invite(session, therapist=therapist, client=client)
    return _invite_page(request, client, issued)


@router.post("/caseload/link-code", response_class=HTMLResponse)
def new_link_code(request: Request, session: SessionDep, therapist: CurrentTherapist) -> Response:
    issued = service.link_code(session, therapist=therapist)
    return render(request, "accounts/link_code.html", {"issued": issued})


@router.get("/caseload/{client_id}", response_class=HTMLResponse)
def client_page(
    client: AccessibleClient, request: Request, session: SessionDep, _therapist: CurrentTherapist
) -> Response:
    sections = client_overview_sections(session=session, client=client, now=clock.now())
    country = client.country or ""
    label = country_name(country, request_language(request)) if is_country(country) else country
    return render(
        request,
        "accounts/client.html",
        {"client": client, "sections": sections, "country_label": label},
    )


@router.post("/caseload/{client_id}/end", response_class=HTMLResponse)
def end_care(
    client: AccessibleClient, session: SessionDep, therapist: CurrentTherapist
) -> Response:
    service.end_care_link(
        session, principal=therapist, therapist_id=therapist.id, client_id=client.id
    )
    return see_other("/caseload?ended=1")
