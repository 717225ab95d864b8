"""States the Spanish crawler does not reach (form errors, empty pages, a therapist's refusal) are
Spanish too: no English word outside `data-authored` for someone who chose Spanish.

Errors found by the shared form validation (app/forms.py: "This is required.") are another area's
and not exercised here; the refusals below are this area's own."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from sqlmodel import Session

from app.accounts.models import User

# The crawler's own list (tests/browser/spanish.py): words only English uses.
ENGLISH_WORDS = re.compile(
    r"\b(the|you|your|and|to|of|with|is|are|this|that|for|what|how|now|my|it|please|can|not|"
    r"here|try|call|text|log|done)\b",
    re.IGNORECASE,
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _OurWords(HTMLParser):
    """The page's own words: body text outside script, style, template and [data-authored]."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.words: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        if tag in VOID:
            return
        hidden = tag in {"script", "style", "template", "title"} or any(
            name == "data-authored" for name, _ in attrs
        )
        self.stack.append(hidden or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_body and not (self.stack and self.stack[-1]):
            self.words.append(data)


def english_left(html: str) -> list[str]:
    parser = _OurWords()
    parser.feed(html)
    text = " ".join(parser.words).replace("Groundwork", " ")
    return sorted({m.group(0) for m in ENGLISH_WORDS.finditer(text)})


def _spanish(session: Session, *people: User) -> None:
    for person in people:
        person.language = "es"
        session.add(person)
    session.commit()


def test_a_spanish_clients_pages_in_every_state(
    http: Any, session: Session, client_user: User
) -> None:
    _spanish(session, client_user)
    http.as_(client_user)
    pages = {
        "summary, empty": http.get("/sensory").text,
        "profile, refused": http.post("/sensory/profile", data={"r_visual": "loud"}).text,
        "kit, refused": http.post("/sensory/kit", data={"corner_notes": "x" * 1001}).text,
        "diet, refused": http.post("/sensory/diet", data={"local_time": "08:00", "days": "0"}).text,
        "my strategies": http.get("/calm/my-strategies").text,
        "history, empty": http.get("/calm/history").text,
        "toolbox": http.get("/calm/toolbox").text,
    }
    added = http.post(
        "/sensory/diet",
        data={"activity_id": "brushing_protocol", "local_time": "09:00", "days": ["0", "1"]},
    )
    assert added.status_code == 303
    pages["diet, one item"] = http.get("/sensory/diet?added=1").text
    pages["summary, one item"] = http.get("/sensory").text
    left = {name: english_left(html) for name, html in pages.items()}
    assert {name: words for name, words in left.items() if words} == {}


def test_a_spanish_therapists_pages_in_every_state(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    # The client too: a safety plan is prefilled with crisis lines in its owner's language.
    _spanish(session, therapist, client_user)
    http.as_(therapist)
    base = f"/caseload/{client_user.id}"
    pages = {
        "sensory": http.get(f"{base}/sensory").text,
        "sensory profile": http.get(f"{base}/sensory/profile").text,
        "sensory kit": http.get(f"{base}/sensory/kit").text,
        "sensory diet": http.get(f"{base}/sensory/diet").text,
        "calm": http.get(f"{base}/calm").text,
        "calm, refused": http.post(
            f"{base}/calm/recommend", data={"strategy_key": "nope", "note": ""}
        ).text,
        "safety plan": http.get(f"{base}/calm/plans/safety").text,
        "diet library": http.get("/library/sensory").text,
        "calm library": http.get("/library/calm").text,
    }
    left = {name: english_left(html) for name, html in pages.items()}
    assert {name: words for name, words in left.items() if words} == {}
