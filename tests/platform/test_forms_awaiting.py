"""The form helper's two additions: a `save` that awaits (a notification before the page answers)
and a refusal's headers (a throttle's Retry-After) carried to the page shown again."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from app import errors
from app.errors import TooManyRequests, Unprocessable
from app.forms import FormResult, finish_form_awaiting, read_form, validate

TOLD: list[int] = []


class CountForm(BaseModel):
    count: int = Field(ge=1, le=10)


async def _save(data: CountForm) -> Response:
    if data.count == 3:
        raise TooManyRequests("Too many tries. Wait a minute.", headers={"Retry-After": "60"})
    if data.count == 4:
        raise Unprocessable("Not four.", field="count")
    await asyncio.sleep(0)  # stands for the awaited notification
    TOLD.append(data.count)
    return Response(status_code=303, headers={"Location": "/done"})


def _show(form: FormResult[CountForm], status: int) -> Response:
    body = "|".join(f"{k}={v}" for k, v in sorted(form.errors.items()))
    return HTMLResponse(body, status_code=status, headers=form.headers)


def _app() -> FastAPI:
    app = FastAPI()
    errors.install(app)

    @app.post("/count")
    async def count(request: Request) -> Response:
        form = validate(CountForm, await read_form(request))
        return await finish_form_awaiting(form, save=_save, show=_show, refusal_status=None)

    return app


def test_an_awaiting_save_runs_and_its_response_is_the_answer() -> None:
    TOLD.clear()
    answer = TestClient(_app()).post("/count", data={"count": "5"}, follow_redirects=False)
    assert answer.status_code == 303
    assert TOLD == [5]


def test_invalid_input_never_reaches_an_awaiting_save() -> None:
    TOLD.clear()
    answer = TestClient(_app()).post("/count", data={"count": "99"})
    assert answer.status_code == 422
    assert answer.text.startswith("count=")
    assert TOLD == []


def test_a_refusal_keeps_its_status_field_and_headers() -> None:
    web = TestClient(_app())
    limited = web.post("/count", data={"count": "3"})
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "60"
    assert limited.text == "form=Too many tries. Wait a minute."
    wrong = web.post("/count", data={"count": "4"})
    assert wrong.status_code == 422
    assert wrong.text == "count=Not four."
    assert "Retry-After" not in wrong.headers
