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


# Messages in a loop that sets a variable, in a macro, with and without variables, escaped
# variables, `%%`, plurals and `{% trans %}`: every way a template reaches `_()` and `ngettext`.
EVERY_WAY = """
{%- macro strength(percent) %}{{ _("Strength %(percent)s%%", percent=percent) }}{% endmacro -%}
{%- for name in names %}{% set shown = name ~ "!" %}
{{ _("Need help now") }} {{ _("%(part)s: what did you do?", part=shown) }} {{ strength(loop.index) }}
{{ ngettext("%(num)s reminder could not be delivered in the last 7 days.",
            "%(num)s reminders could not be delivered in the last 7 days.", loop.index) }}
{% trans count=loop.index %}{{ count }} reminder could not be delivered in the last 7 days.{% pluralize %}{{ count }} reminders could not be delivered in the last 7 days.{% endtrans %}
{%- endfor %}"""


def _jinja_own_render(language: str) -> str:
    """The same template through jinja2.ext.i18n's own newstyle callables and `Context.call`."""
    from jinja2 import Environment

    own = Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"]
    )
    own.policies["ext.i18n.trimmed"] = True
    own.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    return own.from_string(EVERY_WAY).render(names=["Morning", "<b>Evening</b>"])


def test_messages_come_out_as_jinja2s_own_newstyle_gettext_makes_them() -> None:
    """`app.templates` calls `_` and `ngettext` without asking `Context.call` how (a fast path);
    the text, escaping and plurals must be exactly what Jinja's own i18n extension renders."""
    ours = env.from_string(EVERY_WAY)
    assert ours.environment.autoescape is True or callable(ours.environment.autoescape)
    for language in ("en", "es"):
        with i18n.use_language(language):
            rendered = ours.render(names=["Morning", "<b>Evening</b>"])
        assert rendered == _jinja_own_render(language)
        assert "&lt;b&gt;Evening&lt;/b&gt;!" in rendered
    with i18n.use_language("es"):
        assert "recordatorios no se pudieron entregar" in ours.render(names=["a", "b"])
