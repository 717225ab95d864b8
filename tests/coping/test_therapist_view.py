"""The therapist's Calm view of a client: the chart shows every episode of the last 30 days, the
table is paged (same rows, newest first, across pages), effectiveness comes from the summaries."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.coping import insights, plans, service
from app.coping.models import DistressEpisode
from app.templates import friendly_date, local_time

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
KEYS = ["box-breathing", "paced-breathing", "belly-breathing"]


def _seed(session: Session, client: User, n: int, days_ago: float = 0) -> None:
    with clock.frozen_at(NOW):
        for i in range(n):
            service.record_episode(
                session=session,
                client=client,
                data=service.EpisodeInput(
                    id=uuid.uuid4(),
                    strategy_key=KEYS[i % 3],
                    before=3 + i % 8,
                    after=max(0, 3 + i % 8 - i % 5),
                    seconds=60,
                    started_at=NOW - timedelta(days=days_ago, hours=i * 11),
                ),
            )


def _old_chart_markup(episodes: list[DistressEpisode]) -> list[str]:
    """What the template rendered before the chart was built in Python (round(1) per number)."""
    return [
        f'<line x1="{round(p.x, 1)}" y1="{round(p.before_y, 1)}" x2="{round(p.x, 1)}" '
        f'y2="{round(p.after_y, 1)}" class="drop"/>'
        for p in insights.chart(episodes)
    ]


def test_the_chart_shows_every_recent_episode_and_the_table_is_paged(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    _seed(session, client_user, 60)  # 11 hours apart: all within 30 days
    _seed(session, client_user, 4, days_ago=40)  # outside the window
    url = f"/caseload/{client_user.id}/calm"
    with clock.frozen_at(NOW):
        first = http.as_(therapist).get(url)
        episodes = service.recent_episodes(
            session, client_id=client_user.id, since=NOW - timedelta(days=30), limit=300
        )
        pages = [first.text] + [http.as_(therapist).get(f"{url}?page={p}").text for p in (2, 3)]
        too_far = http.as_(therapist).get(f"{url}?page=99")
        bad = http.as_(therapist).get(f"{url}?page=0")
    assert first.status_code == 200
    assert len(episodes) == 60
    drops = re.findall(
        r'<line x1="[^"]*" y1="[^"]*" x2="[^"]*" y2="[^"]*" class="drop"/>', first.text
    )
    assert drops == _old_chart_markup(episodes)
    assert "60 episodes." in first.text
    rows = [re.findall(r"<tr><td>([^<]*\d\d:\d\d)</td><td>(.*?)</td>", page) for page in pages]
    assert [len(r) for r in rows] == [25, 25, 10]
    tz = client_user.time_zone
    assert [r for page in rows for r in page] == [
        (f"{friendly_date(e.started_at)} {local_time(e.started_at, tz)}", e.strategy_title)
        for e in episodes
    ]
    assert "Page 1 of 3" in pages[0]
    assert 'href="?page=2#episodes"' in pages[0]
    assert '<details id="episodes" open>' in pages[1]
    assert too_far.status_code == 200
    assert "Page 3 of 3" in too_far.text
    assert bad.status_code == 422


def test_effectiveness_and_plan_versions(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    _seed(session, client_user, 6)
    plans.save_plan(
        session=session,
        actor=therapist,
        client=client_user,
        kind="safety",
        sections={"warning_signs": "Pacing"},
    )
    with clock.frozen_at(NOW):
        page = http.as_(therapist).get(f"/caseload/{client_user.id}/calm").text
    table = {e.strategy_key: e for e in service.effectiveness(session, client=client_user)}
    assert table["box-breathing"].uses == 2
    assert f"<td>{table['box-breathing'].title}</td><td>2</td>" in page
    assert "Safety plan (version 1," in page
    assert "Wellness and recovery plan (not started)" in page
    assert "Page 1 of" not in page


def test_suggest_form_shows_the_error_beside_the_picker_and_keeps_the_choice(
    http: Any, client_user: User, therapist: User
) -> None:
    url = f"/caseload/{client_user.id}/calm/recommend"
    unknown = http.as_(therapist).post(url, data={"strategy_key": "no-such-thing", "note": "Try"})
    assert unknown.status_code == 422
    assert "Choose a strategy from the list." in unknown.text
    assert 'aria-invalid="true" aria-describedby="f-strategy_key-error"' in unknown.text
    too_long = http.as_(therapist).post(
        url, data={"strategy_key": "paced-breathing", "note": "x" * 5000}
    )
    assert too_long.status_code == 422
    assert '<option value="paced-breathing" selected>' in too_long.text
    assert too_long.text.count(" selected>") == 1
    ok = http.as_(therapist).post(url, data={"strategy_key": "paced-breathing", "note": "Try it"})
    assert ok.status_code == 303
    page = http.as_(therapist).get(f"/caseload/{client_user.id}/calm").text
    assert "“Try it”" in page
    assert '<option value="paced-breathing">' in page
