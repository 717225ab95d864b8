"""The client's "My data" pages: ask for a download, watch it being built, fetch it; close the
account, and restore it from the emailed link during the grace period. Includes admin_pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from app import clock
from app.accounts.dependencies import CurrentClient
from app.accounts.models import User
from app.accounts.security import verify_password
from app.accounts.web import see_other
from app.db import SessionDep
from app.errors import NotFound, Unprocessable
from app.forms import FormResult, finish_form_awaiting, read_form, validate, worded
from app.i18n import N_
from app.my_data import admin_pages, build, closure, inventory, notify, service
from app.my_data.dependencies import OwnExport
from app.my_data.models import AccountClosure, ClosureStatus
from app.my_data.schemas import ExportPublic
from app.schema_types import ApiModel
from app.templates import render
from app.web_security import SESSION_COOKIE

router = APIRouter()


router.include_router(admin_pages.router)


@router.get("/my-data", response_class=HTMLResponse)
def my_data_page(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    row = service.latest(session, client.id)
    return render(
        request,
        "my_data/index.html",
        {
            "export": ExportPublic.of(row) if row else None,
            "now": clock.now(),
            "grace_days": closure.GRACE.days,
            "step_words": build.step_words,
        },
        headers={"Cache-Control": "no-store"},
    )


@router.post("/my-data/exports", response_class=HTMLResponse)
def my_data_request(session: SessionDep, client: CurrentClient) -> Response:
    service.request_export(session, client=client.user, requested_by=client.user)
    return see_other("/my-data#h-download")


@router.get("/my-data/exports/{export_id}/download")
def my_data_download(export: OwnExport, session: SessionDep, client: CurrentClient) -> Response:
    body = service.downloadable(export, now=clock.now())
    service.record_download(session, export=export, actor=client.user)
    stamp = export.created_at.strftime("%Y%m%d")
    return Response(
        body,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="groundwork-my-data-{stamp}.zip"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


class CloseForm(ApiModel):
    current_password: Annotated[str, Field(min_length=1, max_length=256)]


def _what_is_kept() -> list[str]:
    hidden = {"user_account", "account_closure", "progress_session_note_version"}
    return [words for name, words in inventory.RETAINED.items() if name not in hidden]


def _page(
    request: Request,
    session: SessionDep,
    client: CurrentClient,
    form: FormResult[CloseForm],
    status_code: int = 200,
) -> Response:
    now = clock.now()
    return render(
        request,
        "my_data/close.html",
        {
            "form": worded(form),
            "erase_on": now + closure.GRACE,
            "grace_days": closure.GRACE.days,
            "years": closure.retention_years(session, client.organisation_id),
            "kept": _what_is_kept(),
            "has_email": bool(client.user.email),
        },
        status_code=status_code,
    )


@router.get("/my-data/close", response_class=HTMLResponse)
def close_page(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    return _page(request, session, client, FormResult(values={}))


@router.post("/my-data/close", response_class=HTMLResponse)
async def close_account(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    async def save(data: CloseForm) -> Response:
        if not verify_password(client.user.password_hash, data.current_password):
            raise Unprocessable(
                N_("That password isn't right. Please try again."), field="current_password"
            )
        closed = closure.close(session, client=client.user, requested_by=client.user)
        # After the commit, and off the event loop: SMTP can take seconds.
        emailed = await run_in_threadpool(notify.tell_everyone, closed, client.user)
        response = see_other(f"/account/closed?emailed={int(emailed)}")
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return await finish_form_awaiting(
        validate(CloseForm, await read_form(request)),
        save=save,
        show=lambda form, status: _page(request, session, client, form, status_code=status),
        otherwise="current_password",
    )


@router.get("/account/closed", response_class=HTMLResponse)
def closed_page(request: Request, emailed: int = 0) -> Response:
    return render(
        request, "my_data/closed.html", {"emailed": bool(emailed), "grace_days": closure.GRACE.days}
    )


def _restorable(session: SessionDep, token: str) -> tuple[AccountClosure, User]:
    closure_id = notify.read_restore_token(token)
    row = session.get(AccountClosure, closure_id) if closure_id else None
    client = session.get(User, row.client_id) if row else None
    if row is None or client is None or row.status != ClosureStatus.closing:
        raise NotFound(
            N_(
                "This link no longer works: the account was already restored, or it has been erased."
            )
        )
    return row, client


@router.get("/account/restore/{restore_token}", response_class=HTMLResponse)
def restore_page(request: Request, session: SessionDep, restore_token: str) -> Response:
    row, client = _restorable(session, restore_token)
    return render(
        request,
        "my_data/restore.html",
        {"closure": row, "name": client.preferred_name, "done": False},
    )


@router.post("/account/restore/{restore_token}", response_class=HTMLResponse)
def restore_account(request: Request, session: SessionDep, restore_token: str) -> Response:
    row, client = _restorable(session, restore_token)
    closure.restore(session, closure=row, actor=client)
    return render(
        request,
        "my_data/restore.html",
        {"closure": row, "name": client.preferred_name, "done": True},
    )
