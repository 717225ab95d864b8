"""The one form helper (app.forms.submit_form) and AppError's field, on a small app of their own:
a page answers bad input with the same form again (422), each error beside its field and what was
typed kept; a service's refusal lands beside the field it names; nothing typed ever makes a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field

from app import errors
from app.errors import Conflict, Unprocessable
from app.forms import WHOLE_FORM, FormResult, submit_form
from app.schema_types import Title

SAVED: list[dict[str, Any]] = []


class BookForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title  # bounded and NUL-free, as every form's text is
    pages: int = Field(ge=1, le=2000)
    password: str | None = None


def _save(data: BookForm) -> Response:
    """A service with rules of its own: the refusals a page must place without reading them."""
    if data.pages == 13:
        raise Unprocessable("Not that one, please.", field="pages")
    if data.pages == 7:
        raise Unprocessable("The shelf is full.")  # names no field
    if data.pages == 9:
        raise Conflict("Someone else shelved it a moment ago.")
    SAVED.append(data.model_dump())
    return Response(status_code=303, headers={"Location": "/done"})


def _show(form: FormResult[BookForm], status: int) -> Response:
    """The page again: what it would render, as JSON so the test can read it exactly."""
    body = json.dumps({"values": form.values, "errors": form.errors})
    return HTMLResponse(body, status_code=status)


def _app() -> FastAPI:
    app = FastAPI()
    errors.install(app)

    @app.post("/books")
    async def add_book(request: Request) -> Response:
        return await submit_form(request, BookForm, save=_save, show=_show, otherwise="title")

    @app.post("/books/own-status")
    async def add_book_own_status(request: Request) -> Response:
        return await submit_form(request, BookForm, save=_save, show=_show, refusal_status=None)

    @app.post("/api/v1/books")
    def api_book(pages: int) -> dict[str, str]:
        if pages == 13:
            raise Unprocessable("Not that one, please.", field="pages")
        raise Unprocessable("The shelf is full.")

    return app


@pytest.fixture
def web() -> TestClient:
    SAVED.clear()
    return TestClient(_app(), raise_server_exceptions=False)


def test_valid_form_is_saved_and_redirects(web: TestClient) -> None:
    r = web.post("/books", data={"title": "Occupation", "pages": "120"}, follow_redirects=False)
    assert r.status_code == 303
    assert SAVED == [{"title": "Occupation", "pages": 120, "password": None}]


def test_invalid_input_is_422_with_errors_by_field_and_values_kept(web: TestClient) -> None:
    r = web.post("/books", data={"title": "", "pages": "lots", "password": "hunter2hunter2"})
    assert r.status_code == 422
    page = r.json()
    assert set(page["errors"]) == {"title", "pages"}
    assert page["values"]["pages"] == "lots"  # what was typed, to correct
    assert "password" not in page["values"]  # never echoed back
    assert SAVED == []


def test_a_refusal_lands_beside_the_field_it_names(web: TestClient) -> None:
    r = web.post("/books", data={"title": "Thirteen", "pages": "13"})
    assert r.status_code == 422
    assert r.json() == {
        "values": {"title": "Thirteen", "pages": "13"},
        "errors": {"pages": "Not that one, please."},
    }


def test_a_refusal_naming_no_field_goes_where_the_page_says(web: TestClient) -> None:
    assert web.post("/books", data={"title": "Seven", "pages": "7"}).json()["errors"] == {
        "title": "The shelf is full."
    }
    r = web.post("/books/own-status", data={"title": "Seven", "pages": "7"})
    assert r.json()["errors"] == {WHOLE_FORM: "The shelf is full."}


def test_refusal_status_is_422_unless_the_page_keeps_the_refusals_own(web: TestClient) -> None:
    assert web.post("/books", data={"title": "Nine", "pages": "9"}).status_code == 422
    r = web.post("/books/own-status", data={"title": "Nine", "pages": "9"})
    assert r.status_code == 409
    assert r.json()["errors"] == {WHOLE_FORM: "Someone else shelved it a moment ago."}


@pytest.mark.parametrize(
    "data",
    [
        {"title": "A\x00B", "pages": "3"},
        {"title": "x" * 5000, "pages": "3"},
        {"title": "Fine", "pages": "3", "unexpected": "field"},
        {"title": ["one", "two"], "pages": "3"},
        {"pages": "99999999999999999999999999"},
        {},
    ],
    ids=["nul", "too-long", "extra", "list", "huge-number", "empty"],
)
def test_bad_input_is_a_form_again_never_a_500(web: TestClient, data: dict[str, Any]) -> None:
    r = web.post("/books", data=data, follow_redirects=False)
    assert r.status_code == 422, r.text
    page = r.json()
    assert page["errors"]
    assert "\x00" not in r.text
    assert SAVED == []


def test_api_problem_details_name_the_field_in_errors(web: TestClient) -> None:
    r = web.post("/api/v1/books", params={"pages": 13})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["detail"] == "Not that one, please."
    assert body["errors"] == [{"field": "pages", "problem": "Not that one, please."}]


def test_api_problem_details_without_a_field_keep_their_shape(web: TestClient) -> None:
    body = web.post("/api/v1/books", params={"pages": 7}).json()
    assert set(body) == {"type", "title", "status", "detail", "instance"}


def test_field_does_not_leak_between_errors() -> None:
    named = Unprocessable("Here.", field="on")
    plain = Unprocessable("Anywhere.")
    assert (named.field, plain.field) == ("on", None)
    assert plain.problem_extra() is None
    assert Unprocessable.field is None  # the class keeps no field of an instance
