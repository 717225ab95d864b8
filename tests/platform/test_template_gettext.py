"""`_()` in a template takes a catalog message, or a text already translated in Python."""

from __future__ import annotations

from app import i18n
from app.templates import env


def test_a_lazy_text_from_python_is_shown_in_the_language_of_the_render() -> None:
    template = env.from_string("{{ _(title) }} · {{ _('Need help now') }}")
    title = i18n.lazy_gettext("Need help now")
    with i18n.use_language("es"):
        spanish = template.render(title=title)
    assert spanish == "Ayuda ahora · Ayuda ahora"
    assert template.render(title=title) == "Need help now · Need help now"
