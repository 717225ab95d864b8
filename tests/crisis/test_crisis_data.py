"""The crisis data: every ISO 3166-1 country, its own emergency numbers (re-checked against
libphonenumber's emergency metadata), checked lines with a source and a recent check date."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import phonenumbers
import pycountry
import pytest
import yaml
from phonenumbers import shortnumberinfo
from phonenumbers.phonemetadata import PhoneMetadata

from app import clock, countries
from app.crisis import service

ISO_CODES = sorted(c.alpha_2 for c in pycountry.countries)


def _all() -> dict[str, service.CountryLines]:
    found = {code: service.for_country(code) for code in ISO_CODES}
    assert all(v is not None for v in found.values())
    return {code: v for code, v in found.items() if v is not None}


def _lists_emergency(region: str) -> bool:
    meta = PhoneMetadata.short_metadata_for_region(region)
    return bool(meta and meta.emergency and meta.emergency.national_number_pattern)


def test_every_iso_3166_country_can_be_chosen() -> None:
    assert len(ISO_CODES) >= 249
    choices = [code for code, _name in countries.country_choices()]
    assert sorted(choices) == ISO_CODES
    assert choices.index("AF") < choices.index("AX") < choices.index("AL")  # Åland with the A's
    assert {"ES", "MX", "DE", "JP", "GQ"} <= set(ISO_CODES)
    assert service.for_country("es") == service.for_country("ES")
    assert service.for_country("ZZ") is None
    assert service.for_country(None) is None


def test_every_number_shown_is_an_emergency_number_in_libphonenumber() -> None:
    shown = {code: c.emergency_numbers for code, c in _all().items()}
    checked = [(code, n) for code, numbers in shown.items() for n in numbers]
    assert len({code for code, _n in checked}) >= 235
    wrong = [(code, n) for code, n in checked if not shortnumberinfo.is_emergency_number(n, code)]
    assert wrong == []
    # Without a number only where libphonenumber lists none for that region.
    without = sorted(code for code, numbers in shown.items() if not numbers)
    assert [code for code in without if _lists_emergency(code)] == []


def test_the_shipped_numbers_file_covers_every_country_and_checks_out() -> None:
    raw = yaml.safe_load(service.NUMBERS_FILE.read_text())
    assert sorted(raw["countries"]) == ISO_CODES
    assert f"phonenumbers {phonenumbers.__version__.split('.')[0]}." in raw["source"]
    for code, numbers in raw["countries"].items():
        for n in numbers:
            assert isinstance(n, str), (code, n)
            assert shortnumberinfo.is_emergency_number(n, code), (code, n)


def test_curated_emergency_numbers_are_the_ones_people_there_know() -> None:
    expected = {
        "GB": ["999", "112"],
        "IE": ["112", "999"],
        "US": ["911"],
        "CA": ["911"],
        "AU": ["000"],
        "NZ": ["111"],
        "ES": ["112"],
        "MX": ["911"],
    }
    assert {code: _all()[code].emergency_numbers for code in expected} == expected


def test_no_country_falls_back_to_another_countrys_lines() -> None:
    curated = service.directory().lines
    for code, country in _all().items():
        assert country.code == code
        assert country.lines == curated.get(code, [])
        if not country.lines:
            assert country.directory_url == service.DIRECTORY_URL
            assert not country.has_checked_lines
    with_lines = sorted(code for code, c in _all().items() if c.lines)
    assert with_lines == ["AU", "CA", "ES", "GB", "IE", "MX", "NZ", "US"]


def test_spain_and_mexico_have_their_national_lines() -> None:
    es, mx = _all()["ES"], _all()["MX"]
    assert [(line.name, line.phone) for line in es.lines] == [("024", "024")]
    assert es.lines[0].tel_href == "tel:024"
    assert [(line.name, line.phone) for line in mx.lines] == [("Línea de la Vida", "800 911 2000")]
    assert mx.lines[0].tel_href == "tel:8009112000"
    assert es.lines[0].source.startswith("https://www.sanidad.gob.es/")
    assert mx.lines[0].source.startswith("https://www.gob.mx/")


def _every_line() -> list[tuple[str, service.CrisisLine]]:
    return [(code, line) for code, lines in service.directory().lines.items() for line in lines]


def test_every_line_has_a_source_a_check_date_and_an_english_description() -> None:
    assert len(_every_line()) >= 11
    for code, line in _every_line():
        assert re.fullmatch(r"https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?", line.source), (code, line)
        assert line.checked_on <= service.directory().reviewed_on
        assert line.descriptions.get("en"), (code, line.name)
        assert line.phone or line.sms, (code, line.name)
        assert line.description_in("es") == line.descriptions.get("es", line.descriptions["en"])


def test_every_check_is_under_a_year_old_when_the_data_was_reviewed() -> None:
    """Pinned to the data's own review date, so the suite stays green as real time passes; the
    yearly re-check reminder is `due_for_recheck` (next test), not a test that fails on a date."""
    reviewed = service.directory().reviewed_on
    with clock.frozen_at(datetime.combine(reviewed, time(12), tzinfo=UTC)):
        today = clock.now().date()
        ages = {(code, line.name): today - line.checked_on for code, line in _every_line()}
        assert all(timedelta(0) <= age < service.RECHECK_AFTER for age in ages.values()), ages
        assert service.due_for_recheck(clock.now()) == []
    numbers_checked = service.directory().numbers_checked_on
    assert timedelta(0) <= reviewed - numbers_checked < service.RECHECK_AFTER


def test_a_line_checked_over_a_year_ago_is_due_for_recheck_and_still_shown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    oldest = min(line.checked_on for _code, line in _every_line())
    year_on = datetime.combine(oldest + service.RECHECK_AFTER + timedelta(days=1), time(9), UTC)
    with clock.frozen_at(year_on):
        due = service.due_for_recheck(clock.now())
        assert due
        assert all(clock.now().date() - line.checked_on > service.RECHECK_AFTER for _c, line in due)
        service.log_recheck_reminder(clock.now())
    assert "due for their yearly re-check" in caplog.text
    code, line = due[0]
    shown = service.for_country(code)
    assert shown is not None
    assert line in shown.lines


def test_sign_up_can_suggest_the_country_of_the_phones_time_zone() -> None:
    zones = countries.zone_countries()
    assert len(zones) >= 300
    assert set(zones.values()) <= set(ISO_CODES)
    expected = {
        "Europe/Madrid": "ES",
        "America/Mexico_City": "MX",
        "Europe/Berlin": "DE",
        "Europe/London": "GB",
        "Australia/Sydney": "AU",
        "Pacific/Auckland": "NZ",
    }
    assert {zone: zones[zone] for zone in expected} == expected


def test_a_curated_country_code_that_is_not_iso_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "crisis_lines.yaml"
    bad.write_text(service.LINES_FILE.read_text().replace("\n  GB:\n", "\n  UK:\n"))
    monkeypatch.setattr(service, "LINES_FILE", bad)
    service.directory.cache_clear()
    try:
        with pytest.raises(ValueError, match="UK"):
            service.directory()
    finally:
        monkeypatch.undo()
        service.directory.cache_clear()
    assert service.for_country("GB") is not None
