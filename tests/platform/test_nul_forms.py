"""Page forms refuse NUL bytes with a form error: PostgreSQL rejects them in text, which was a 500."""

from __future__ import annotations

from typing import Any

from tests import factories


def test_a_clinic_strategy_title_with_a_nul_byte_is_a_form_error(http: Any, session: Any) -> None:
    http.as_(factories.therapist(session, factories.clinic(session)))
    response = http.post("/library/calm", data={"title": "Slow\x00breath", "steps": "Breathe out"})
    assert response.status_code == 422
    assert 'id="f-title-error"' in response.text
