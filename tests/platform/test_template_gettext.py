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


def test_a_reason_made_before_the_reader_is_known_is_worded_for_each_reader() -> None:
    """A dashboard flag's reason is computed once (and cached), then read in two languages."""
    reason = i18n.lazy_ntext(
        "%(num)s reminder could not be delivered in the last 7 days.",
        "%(num)s reminders could not be delivered in the last 7 days.",
        3,
    )
    level = i18n.lazy_text("Distress reached %(level)s this week", level=9)
    template = env.from_string("{{ reason }} {{ level }}")
    assert template.render(reason=reason, level=level) == (
        "3 reminders could not be delivered in the last 7 days. Distress reached 9 this week"
    )
    with i18n.use_language("es"):
        assert template.render(reason=reason, level=level) == (
            "3 recordatorios no se pudieron entregar en los últimos 7 días. "
            "El malestar llegó a 9 esta semana"
        )
