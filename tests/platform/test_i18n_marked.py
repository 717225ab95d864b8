"""Every word a person reads on the translated pages goes through the catalog.

Templates: text between tags and human-readable attributes (aria-label, title, placeholder, alt)
must come from `{{ _("…") }}`, `{% trans %}` or a variable — a bare English word fails. Scripts:
a sentence-like string literal must be the argument of `t(…)`, `tn(…)` or `N_(…)`.
Every template and script is checked except the pending ones listed below (docs/i18n.md).
"""

from __future__ import annotations

import re

import pytest

from app.templates import WEB_DIR

# Files still English, by domain: docs/i18n.md. Every other template and script is checked.
# Remove a file here when it is translated; the test below fails on a pending file that is done.
PENDING_TEMPLATES: set[str] = set()
PENDING_SCRIPTS: set[str] = set()
# Names, not words to translate.
PROPER_NAMES = {"Groundwork", "Find A Helpline"}
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
READABLE_ATTRIBUTE = re.compile(r'\b(aria-label|title|placeholder|alt)="([^"]*)"')


def unmarked_words(html: str) -> list[str]:
    """English words a template shows that do not come from the catalog or a variable."""
    html = re.sub(r"\{#.*?#\}", " ", html, flags=re.DOTALL)
    # CSS class names a page hands to base.html, not text.
    html = re.sub(r"\{% block \w+_class %\}.*?\{% endblock %\}", " ", html, flags=re.DOTALL)
    html = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", " ", html, flags=re.DOTALL)
    html = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", html, flags=re.DOTALL)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    words = [w for _attr, value in READABLE_ATTRIBUTE.findall(html) for w in WORD.findall(value)]
    text = re.sub(r"<[^>]*>", " ", html, flags=re.DOTALL)
    words += WORD.findall(text)
    return [w for w in words if w not in PROPER_NAMES]


_MARKED_CALL = re.compile(
    r"\b(?:t|tn|N_)\(\s*(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"
    r"(?:\s*,\s*(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'))?"
)
_LITERAL = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`[^`]*`")
# A capitalised word, a space, and more words later: "Try one of these", `Down ${d} points`.
_SENTENCE = re.compile(r"[A-Z][a-z']+ [^\"'`]*?[a-z]{2,}")


def unmarked_sentences(source: str) -> list[str]:
    """Sentence-like string literals in a script that are not handed to t()/tn()/N_()."""
    source = re.sub(r"^\s*//.*$", " ", source, flags=re.MULTILINE)
    source = re.sub(r"/\*.*?\*/", " ", source, flags=re.DOTALL)
    source = _MARKED_CALL.sub("t()", source)
    literals = [lit for lit in _LITERAL.findall(source) if lit[1:-1] not in PROPER_NAMES]
    return [lit for lit in literals if _SENTENCE.search(lit)]


def test_the_scanners_catch_unmarked_text_and_pass_marked_text() -> None:
    assert unmarked_words("<p>Need help now</p>") == ["Need", "help", "now"]
    assert unmarked_words('<nav aria-label="Main"></nav>') == ["Main"]
    assert unmarked_words('<p>{{ _("Need help now") }}</p>') == []
    assert unmarked_words("<p>{% trans n=1 %}Call {{ n }}.{% endtrans %}</p>") == []
    assert unmarked_words('<nav aria-label="{{ _("Main") }}">Groundwork · 10</nav>') == []
    assert unmarked_sentences('h("h1", {}, "Try one of these")') == ['"Try one of these"']
    assert unmarked_sentences('h("h1", {}, `Down ${d} points`)') == ["`Down ${d} points`"]
    assert unmarked_sentences('h("h1", {}, t("Try one of these"))') == []
    assert unmarked_sentences('tn("%(num)s time", "%(num)s times", n)') == []
    assert unmarked_sentences('h("a", { class: "calm-btn calm-btn-quiet" })') == []


TEMPLATES = sorted(
    str(path.relative_to(WEB_DIR / "templates")) for path in (WEB_DIR / "templates").rglob("*.html")
)
SCRIPTS = sorted(
    str(path.relative_to(WEB_DIR))
    for folder in ("static", "sw")
    for path in (WEB_DIR / folder).rglob("*.js")
)
MARKED_TEMPLATES = [name for name in TEMPLATES if name not in PENDING_TEMPLATES]
MARKED_SCRIPTS = [name for name in SCRIPTS if name not in PENDING_SCRIPTS]


@pytest.mark.parametrize("name", MARKED_TEMPLATES)
def test_translated_templates_have_no_unmarked_text(name: str) -> None:
    assert unmarked_words((WEB_DIR / "templates" / name).read_text()) == []


@pytest.mark.parametrize("name", MARKED_SCRIPTS)
def test_translated_scripts_have_no_unmarked_sentences(name: str) -> None:
    assert unmarked_sentences((WEB_DIR / name).read_text()) == []


def test_the_pending_lists_name_real_files_that_are_still_english() -> None:
    """A translated file leaves the pending list, so the list stays the truth about what is left."""
    assert set(TEMPLATES) >= PENDING_TEMPLATES
    assert set(SCRIPTS) >= PENDING_SCRIPTS
    done = sorted(
        name
        for name in PENDING_TEMPLATES
        if not unmarked_words((WEB_DIR / "templates" / name).read_text())
    ) + sorted(
        name for name in PENDING_SCRIPTS if not unmarked_sentences((WEB_DIR / name).read_text())
    )
    assert done == [], "translated: remove these from the pending lists"
