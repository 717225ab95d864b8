"""Kind words: no page or script tells a person they "missed" or "failed" something.

Clinical wording rule (issue 16): a day without a check-in or a reminder the app could not send is
"not done yet", never a failure. This scans what people read — template text outside tags and
Jinja code, and string literals in our own scripts — so a new template cannot bring the words back.
"""

from __future__ import annotations

import re

from app.templates import WEB_DIR

HARSH = re.compile(r"\b(missed|failed|failure|fail)\b", re.IGNORECASE)


def _visible_text(html: str) -> str:
    html = re.sub(r"\{#.*?#\}", " ", html, flags=re.DOTALL)
    html = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]*>", " ", html, flags=re.DOTALL)


def _script_strings(source: str) -> list[str]:
    return re.findall(r"\"[^\"\n]*\"|'[^'\n]*'|`[^`]*`", source)


def test_the_scanner_finds_harsh_words_in_text_but_not_in_markup() -> None:
    assert HARSH.search(_visible_text("<p>One missed day</p>"))
    assert not HARSH.search(_visible_text('<input name="weeks_missed_to_step_down">{{ failed }}'))
    assert any(HARSH.search(s) for s in _script_strings("throw new Error(`Request failed`);"))


def test_no_template_tells_a_person_they_missed_or_failed() -> None:
    hits = [
        f"{path.relative_to(WEB_DIR)}: {match.group(0)}"
        for path in sorted((WEB_DIR / "templates").rglob("*.html"))
        for match in HARSH.finditer(_visible_text(path.read_text()))
    ]
    assert hits == []


def test_no_script_message_says_missed_or_failed() -> None:
    scripts = [p for p in (WEB_DIR / "static").rglob("*.js") if "vendor" not in p.parts]
    scripts += list((WEB_DIR / "sw").glob("*.js"))
    assert scripts
    hits = [
        f"{path.relative_to(WEB_DIR)}: {literal}"
        for path in sorted(scripts)
        for literal in _script_strings(path.read_text())
        if HARSH.search(literal)
    ]
    assert hits == []
