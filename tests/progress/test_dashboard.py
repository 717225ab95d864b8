"""The dashboard's SQL statement count does not grow with the caseload (no N+1), and its rows
carry every domain's signals with reasons."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.homework import service
from app.homework.schemas import ClientAction, CompletionCreate
from app.progress import dashboard, measure_service
from app.progress.schemas import ResponseCreate, ScheduleCreate
from tests import factories
from tests.homework.helpers import assignment, principal
from tests.statements import captured_statements


def _busy_client(session: Session, therapist: User) -> User:
    """A client with homework done, one overdue, and a PHQ-9 answered."""
    client = factories.client(session, therapist=therapist)
    a = assignment(session, therapist, client, frequency="daily")
    me = principal(session, client)
    service.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))
    service.complete(session, client=me, assignment=a, data=CompletionCreate(reflection="ok"))
    measure_service.schedule(
        session,
        therapist=principal(session, therapist),
        client=client,
        data=ScheduleCreate(code="phq9"),
    )
    measure_service.submit(session, client=me, code="phq9", data=ResponseCreate(answers=[1] * 9))
    return client


def _statements_for_dashboard(http: Any, session: Session, therapist: User) -> int:
    http.as_(therapist)
    with captured_statements(session) as statements:
        response = http.get("/dashboard")
    assert response.status_code == 200
    return len(statements)


def test_statement_count_does_not_grow_with_clients(
    http: Any, session: Session, therapist: User
) -> None:
    for _ in range(2):
        _busy_client(session, therapist)
    small = _statements_for_dashboard(http, session, therapist)
    for _ in range(8):
        _busy_client(session, therapist)
    large = _statements_for_dashboard(http, session, therapist)
    assert small > 3
    assert large == small
    assert "10 clients" in http.get("/dashboard").text


def test_rows_merge_signals_with_reasons(session: Session, therapist: User) -> None:
    client = _busy_client(session, therapist)
    quiet = factories.client(session, therapist=therapist, name="Quiet Person")
    rows = {
        r.client_id: r for r in dashboard.rows(session, therapist_id=therapist.id, now=clock.now())
    }
    busy = rows[client.id]
    assert busy.last_activity_at is not None
    assert busy.by_label["homework"][1] >= 1
    codes = {f.code: f for f in busy.flags}
    assert codes["phq9_item9"].severity == "urgent"
    assert "please contact them" in codes["phq9_item9"].reason
    assert [f.code for f in rows[quiet.id].flags] == ["no_activity"]


def test_other_therapists_clients_never_appear(
    http: Any, session: Session, therapist: User
) -> None:
    mine = _busy_client(session, therapist)
    other_t = factories.therapist(session, factories.clinic(session, name="Elsewhere"))
    theirs = factories.client(session, therapist=other_t, name="Not Yours")
    page = http.as_(therapist).get("/dashboard").text
    assert mine.preferred_name in page
    assert "Not Yours" not in page
    api = http.get("/api/v1/dashboard").json()
    assert str(theirs.id) not in {row["client_id"] for row in api}


def test_sort_and_filter_by_query(http: Any, session: Session, therapist: User) -> None:
    _busy_client(session, therapist)
    factories.client(session, therapist=therapist, name="Zed Quiet")
    http.as_(therapist)
    page = http.get("/dashboard?flag=phq9_item9").text
    assert "Zed Quiet" not in page
    page = http.get("/dashboard?q=zed").text
    assert "Zed Quiet" in page
    assert http.get("/dashboard?sort=bogus&flag=nope&desc=1").status_code == 200


def test_a_large_caseload_is_paged_with_the_most_urgent_first(
    http: Any, session: Session, therapist: User, monkeypatch: Any
) -> None:
    from app.progress.therapist_pages import report

    monkeypatch.setattr(report, "PAGE_SIZE", 3)
    for name in ("Ann", "Bea", "Cal", "Dee", "Eve", "Fay"):
        factories.client(session, therapist=therapist, name=f"{name} Quiet")
    urgent = _busy_client(session, therapist)  # PHQ-9 item 9 above 0: urgent
    urgent.preferred_name = "Zoe Urgent"
    session.add(urgent)
    session.commit()
    http.as_(therapist)
    first = http.get("/dashboard")
    assert first.status_code == 200
    assert "7 clients" in first.text
    assert "Showing 1–3 of 7, most urgent first." in first.text
    body = first.text.split("<tbody>")[1].split("</tbody>")[0]
    assert body.index("Zoe Urgent") < body.index("Ann Quiet")  # urgency before the alphabet
    assert body.count("<tr>") == 3
    assert 'href="/dashboard?page=2" rel="next">Next: 4–6</a>' in first.text
    last = http.get("/dashboard?page=3")
    assert "Showing 7–7 of 7" in last.text
    assert last.text.split("<tbody>")[1].count("<tr>") == 1
    assert 'rel="prev"' in last.text
    assert 'rel="next"' not in last.text
    assert "Showing 7–7 of 7" in http.get("/dashboard?page=99").text
    for odd in ("abc", "%C2%B2", "-1", "0", "9" * 40):  # "²" is a digit to str.isdigit
        assert "Showing 1–3 of 7" in http.get(f"/dashboard?page={odd}").text
    by_name = http.get("/dashboard?sort=name&page=2")
    assert "Showing 4–6 of 7, name." in by_name.text
    assert 'href="/dashboard?sort=name&amp;page=3"' in by_name.text
    assert "Dee Quiet" in by_name.text.split("<tbody>")[1]
    one = http.get("/dashboard?q=Zoe")
    assert "Zoe Urgent" in one.text
    assert "Showing" not in one.text  # one page: no pager
    assert 'aria-label="Dashboard pages"' not in one.text


def _table(page: str) -> str:
    return page.split("<tbody>")[1].split("</tbody>")[0]


def test_kept_rows_draw_as_fresh_ones_in_every_language_zone_and_after_a_write(
    http: Any, session: Session, therapist: User
) -> None:
    """app/progress/row_html.py keeps each row's HTML while the row, the language and the zone
    are the same: the page with kept rows equals the page drawn from nothing, and a change shows
    on the very next request."""
    from app.progress import row_html, row_memo

    client = _busy_client(session, therapist)
    factories.client(session, therapist=therapist, name="Zed Quiet")
    http.as_(therapist)

    def fresh() -> str:
        row_html.ROWS.clear()
        row_memo.MEMO.clear()
        return _table(http.get("/dashboard").text)

    def speaking(language: str) -> None:
        therapist.language = language
        session.add(therapist)
        session.commit()

    for language in ("en", "es", "en"):
        speaking(language)
        kept = _table(http.get("/dashboard").text)  # rows kept from the other language, if any
        assert kept == fresh()
        assert _table(http.get("/dashboard").text) == kept  # and from its own
        assert ("Progreso" in kept) is (language == "es")
    assert len(row_html.ROWS) >= 2

    therapist.time_zone = "Pacific/Auckland"  # the reader's own clock for "last activity"
    session.add(therapist)
    session.commit()
    assert _table(http.get("/dashboard").text) == fresh()

    before = _table(http.get("/dashboard").text)
    client.preferred_name = "Renamed Person"
    session.add(client)
    session.commit()
    after = _table(http.get("/dashboard").text)
    assert "Renamed Person" in after
    assert after != before
    assert after == fresh()
