"""What the player page hands its script (web/static/routines/player.js) so it can go on step by
step with no signal: the planned steps, today's answers and which stored answer each is, and the
last answer (what "Undo" takes back)."""

from __future__ import annotations

import uuid

from app.routines import runs


def data(
    routine_id: uuid.UUID, state: runs.PlayerState, words: dict[str, str]
) -> dict[str, object]:
    """What the player's script needs to go on step by step with no signal (static/routines)."""
    last = state.last
    return {
        "routine": str(routine_id),
        "day": state.day.isoformat(),
        "steps": [
            {
                "id": str(s.id),
                "title": s.title,
                "detail": s.detail or "",
                "photo": str(s.photo_id) if s.photo_id else "",
                "minutes": s.duration_minutes or 0,
            }
            for s in state.steps
        ],
        "answers": {str(k): v for k, v in state.answers.items()},
        # Which stored answer each is: the script tells what this page already shows from what
        # the phone sent after the page was made.
        "answer_ids": {str(k): str(v) for k, v in state.answer_ids.items()},
        "last": {"id": str(last.id), "step": str(last.step_id), "status": last.status}
        if last
        else None,
        "words": words,
    }
