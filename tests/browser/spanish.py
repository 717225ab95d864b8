"""What "this page is in Spanish" means to the browser tests: no English word is left outside
names and what people wrote themselves, `<html lang="es">`, and axe finds nothing."""

from __future__ import annotations

import re
from typing import Any

from app.crisis.service import DIRECTORY_NAME, directory
from tests.browser.fixtures import assert_accessible

# Words that only English uses: one on a Spanish page is an untranslated sentence.
# Not Spanish words too ("he", "has", "me", "plan", "total", "final", "no" are): those are left out.
ENGLISH_WORDS = re.compile(
    r"\b(the|you|your|and|to|of|with|is|are|this|that|for|what|how|now|my|it|please|can|not|"
    r"here|try|call|text|log|done|save|edit|cancel|back|next|previous|delete|remove|add|new|show|"
    r"open|close|start|stop|more|less|week|weeks|day|days|today|yesterday|tomorrow|morning|"
    r"evening|night|goal|goals|note|notes|progress|routine|routines|habit|habits|step|steps|"
    r"sensory|homework|client|clients|therapist|settings|history|list|none|nothing|all|any|every|"
    r"each|only|about|from|by|on|in|at|or|but|if|when|which|who|will|was|were|have|had|be|been|"
    r"do|does|did|an|we|our|they|their|them|his|her|its|yes)\b",
    re.IGNORECASE,
)
# Names are shown as they are: a crisis line's own name, ours, and the helpline directory's.
PROPER_NAMES = sorted(
    {line.name for lines in directory().lines.values() for line in lines}
    | {"Groundwork", DIRECTORY_NAME},
    key=len,
    reverse=True,
)
# Text a person wrote (a therapist's homework, a client's own routine) is shown as written and
# carries `data-authored` (docs/i18n.md); the page's own words are everything else.
_OUR_WORDS = """() => {
  const skip = 'script, style, template, [data-authored]';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !el.checkVisibility()) continue;
    parts.push(node.textContent);
  }
  return parts.join(' ');
}"""


def english_in(text: str) -> list[str]:
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    return sorted({m.group(0) for m in ENGLISH_WORDS.finditer(text)})


def our_words(page: Any) -> str:
    """The visible text of the page, without what people wrote themselves."""
    return str(page.evaluate(_OUR_WORDS))


def check_spanish(page: Any, name: str) -> None:
    """The visible page is Spanish (no English word left) and passes axe."""
    assert page.locator("html").get_attribute("lang") == "es"
    assert english_in(our_words(page)) == [], name
    assert_accessible(page, f"es-{name}")
