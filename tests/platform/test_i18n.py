"""Languages: which language a person gets, that it is remembered per person, and that Spanish is
really served — pages, `<html lang>`, problem details, the calm flow's data and its scripts' strings.

Also the catalog itself: every message has a Spanish translation whose placeholders match."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from sqlmodel import Session

from app import i18n
from app.accounts.models import User
from app.coping import library_words
from app.coping.library import load_library
from tests import factories

ES_PO = i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


def _lang(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found is not None
    return found.group(1)


# --- the catalog -------------------------------------------------------------------------------


def _catalog() -> Any:
    with ES_PO.open("rb") as po:
        return read_po(po, locale="es")


def test_every_message_has_a_spanish_translation() -> None:
    untranslated = [
        m.id
        for m in _catalog()
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert untranslated == []


def test_the_spanish_catalog_holds_every_message_the_code_marks() -> None:
    """The committed template catalog (made by `make messages`) and es agree: nothing new is
    waiting to be translated."""
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as pot:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    assert wanted - have == set()
    assert len(wanted) > 150


def test_every_marked_text_in_the_code_is_in_the_spanish_catalog() -> None:
    """Extracts as `make messages` does (babel.cfg, same keywords): a text marked in a template,
    module or script but never extracted and translated fails here, not on a Spanish screen."""
    root = i18n.LOCALE_DIR.parents[1]
    with (root / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]  # Babel ships no hints for it
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "N_": None, "t": None, "tn": (1, 2)}
    marked = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(root), method_map, options_map, keywords=keywords
        )
    }
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in _catalog()
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    assert sorted(marked - translated) == []


def test_placeholders_survive_translation() -> None:
    broken = []
    for m in _catalog():
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        wanted = set(PLACEHOLDER.findall(ids[-1])) - {"num"}
        for text in strings:
            if set(PLACEHOLDER.findall(text)) - {"num"} != wanted:
                broken.append((ids[0], text))
    assert broken == []


def test_the_catalog_is_read_from_the_po_file_and_used_per_render() -> None:
    with i18n.use_language("es"):
        assert i18n.gettext("Need help now") == "Ayuda ahora"
        assert i18n.ngettext("%(num)s time", "%(num)s times", 3) == "3 veces"
        assert i18n.ngettext("%(num)s time", "%(num)s times", 1) == "1 vez"
    assert i18n.gettext("Need help now") == "Need help now"
    with i18n.use_language("xx"):  # not a language we have: English, never an error
        assert i18n.current_language() == "en"


def test_dates_and_weekdays_follow_the_language() -> None:
    day = date(2026, 12, 6)
    assert i18n.friendly_date(day) == "Sun 6 Dec 2026"
    with i18n.use_language("es"):
        assert i18n.weekday_name(day) == "domingo"
        assert i18n.friendly_date(day) == "dom 6 dic 2026"
        assert i18n.format_number(1234.5) == "1,234.5"  # Latin American, as the words are


# --- choosing the language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("en-GB,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.5", "es"),
        ("es;q=0,en", "en"),
        ("de", "en"),
        ("", "en"),
        ("*", "en"),
        ("es_AR", "es"),
        (";;,q=x,,", "en"),
    ],
)
def test_accept_language_picks_the_best_language_we_have(header: str, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_a_visitor_gets_their_browsers_language(http: Any) -> None:
    english = http.get("/login")
    spanish = http.get("/login", headers=SPANISH)
    assert _lang(english.text) == "en"
    assert "Log in" in english.text
    assert _lang(spanish.text) == "es"
    assert "Iniciar sesión" in spanish.text
    assert "Forgot your password?" not in spanish.text
    assert spanish.headers["content-language"] == "es"
    assert "Accept-Language" in spanish.headers["vary"]


def test_a_persons_setting_wins_over_the_browser(http: Any, session: Session) -> None:
    person = factories.client(session, language="es")
    page = http.as_(person).get("/calm", headers={"Accept-Language": "en"})
    assert _lang(page.text) == "es"
    assert "¿Qué tan fuerte es el malestar ahora mismo?" in page.text


def test_a_therapist_and_their_client_each_keep_their_own_language(
    http: Any, session: Session, therapist: User
) -> None:
    client = factories.client(session, therapist=therapist, language="es")
    assert _lang(http.as_(client).get("/crisis").text) == "es"
    assert _lang(http.as_(therapist).get("/crisis").text) == "en"


def test_the_language_is_changed_in_settings_and_remembered(
    http: Any, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    settings = http.get("/settings")
    assert '<option value="es">Español</option>' in settings.text
    form = {
        "name": client_user.preferred_name,
        "time_zone": client_user.time_zone,
        "country": client_user.country,
        "language": "es",
        "csrf_token": http.csrf,
    }
    saved = http.post("/settings/profile", data=form)
    assert saved.status_code == 303
    session.refresh(client_user)
    assert client_user.language == "es"
    again = http.get("/settings")
    assert _lang(again.text) == "es"
    assert "Sobre ti" in again.text
    assert '<option value="es" selected>Español</option>' in again.text


def test_a_language_we_do_not_have_is_refused_beside_the_field(
    http: Any, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    form = {
        "name": "Sam",
        "time_zone": client_user.time_zone,
        "country": client_user.country,
        "language": "xx",
        "csrf_token": http.csrf,
    }
    refused = http.post("/settings/profile", data=form)
    assert refused.status_code == 422
    assert 'id="f-language-error"' in refused.text
    session.refresh(client_user)
    assert client_user.language == "en"


def test_problem_details_speak_the_persons_language(http: Any, session: Session) -> None:
    person = factories.client(session, language="es")
    missing = http.as_(person).get("/api/v1/routines/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["title"] == "No lo encontramos"


# --- the calm flow's data and script strings ---------------------------------------------------


def _json_block(html: str, element_id: str) -> Any:
    found = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html)
    assert found is not None, element_id
    return json.loads(found.group(1))


def test_the_calm_flow_carries_the_spanish_library_and_script_strings(http: Any) -> None:
    page = http.get("/calm-now", headers=SPANISH)
    library = _json_block(page.text, "calm-library")
    box = next(s for s in library["strategies"] if s["id"] == "box-breathing")
    assert box["title"] == "Respiración cuadrada"
    assert box["steps"][0] == "Siéntate o acuéstate para que tu cuerpo esté apoyado."
    assert box["cautions"] == ["Si te mareas o sientes la cabeza ligera, para y respira normal."]
    messages = _json_block(page.text, "i18n-messages")
    assert messages["lang"] == "es"
    assert messages["strings"]["Before you start"] == "Antes de empezar"
    assert messages["strings"]["%(num)s time"] == ["%(num)s vez", "%(num)s veces", "%(num)s veces"]
    assert messages["plural_index"][1] == 0
    assert messages["plural_index"][2] == 2
    english = http.get("/calm-now")
    assert 'id="i18n-messages"' not in english.text
    assert "Box breathing" in english.text


def test_every_strategy_has_spanish_words_with_matching_steps() -> None:
    words = library_words.load_words("es")
    assert words is not None
    library = load_library()
    assert set(words.strategies) == {s.id for s in library.strategies}
    assert set(words.cautions) == set(library.cautions)
    uneven = [s.id for s in library.strategies if len(words.strategies[s.id].steps) != len(s.steps)]
    assert uneven == []


def test_every_checked_crisis_line_is_described_in_spanish() -> None:
    from app.crisis.service import directory

    lines = [line for country in directory().lines.values() for line in country]
    assert lines
    assert [line.name for line in lines if not line.descriptions.get("es")] == []


def test_crisis_lines_and_countries_are_named_in_spanish(http: Any, session: Session) -> None:
    person = factories.client(session, language="es", country="US")
    page = http.as_(person).get("/crisis")
    assert "Estados Unidos" in page.text
    assert "Llamar al 988" in page.text
    assert "No tienes que pasar por esto sin compañía" in page.text


def test_a_page_error_is_shown_in_the_persons_language(http: Any, session: Session) -> None:
    person = factories.client(session, language="es")
    missing = http.as_(person).get("/routines/00000000-0000-4000-8000-000000000000/play")
    assert missing.status_code == 404
    assert _lang(missing.text) == "es"
    assert "No lo encontramos" in missing.text
    assert "Ir al inicio" in missing.text
    # A URL no route knows is answered before anyone is identified: the browser's language.
    unknown = http.get("/no-such-page-at-all", headers=SPANISH)
    assert unknown.status_code == 404
    assert "No lo encontramos" in unknown.text


def test_lazy_text_is_translated_when_it_is_shown() -> None:
    label = i18n.lazy_gettext("Need help now")
    with i18n.use_language("es"):
        assert str(label) == "Ayuda ahora"
    assert str(label) == "Need help now"


def test_lazy_texts_of_the_same_message_are_equal_without_being_translated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The dashboard's row memo compares flag reasons on every view: the same message with the
    same values is equal in every language, so no translation is needed to say so."""
    one = i18n.lazy_ntext("%(num)s reminder failed.", "%(num)s reminders failed.", 4)
    same = i18n.lazy_ntext("%(num)s reminder failed.", "%(num)s reminders failed.", 4)
    other = i18n.lazy_ntext("%(num)s reminder failed.", "%(num)s reminders failed.", 5)
    translated: list[str] = []
    real = i18n.NullTranslations.ungettext

    def counting(self: i18n.NullTranslations, singular: str, plural: str, n: int) -> str:
        translated.append(singular)
        return real(self, singular, plural, n)

    monkeypatch.setattr(i18n.NullTranslations, "ungettext", counting)
    assert one == same
    assert (one != same) is False
    assert translated == []
    assert one != other  # different values: compared by what they say
    assert one == "4 reminders failed."
    assert one != "5 reminders failed."
    with i18n.use_language("es"):
        assert i18n.lazy_gettext("Need help now") == i18n.lazy_gettext("Need help now")
        assert i18n.lazy_gettext("Need help now") == "Ayuda ahora"
    # Different messages that read the same are still equal, as plain text would be.
    assert i18n.lazy_gettext("Plan") == i18n.lazy_ntext("Plan", "Plans", 1)
