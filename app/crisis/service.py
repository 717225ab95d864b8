"""Crisis lines by country, from a dated data file (verified before each release)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel

DATA = Path(__file__).parent / "content" / "crisis_lines.yaml"
DEFAULT_COUNTRY = "GB"


class CrisisLine(BaseModel):
    name: str
    description: str
    phone: str | None = None
    sms: str | None = None
    sms_body: str | None = None

    @property
    def tel_href(self) -> str | None:
        return f"tel:{self.phone.replace(' ', '')}" if self.phone else None

    @property
    def sms_href(self) -> str | None:
        if not self.sms:
            return None
        body = f"?&body={self.sms_body}" if self.sms_body else ""
        return f"sms:{self.sms.replace(' ', '')}{body}"


class CountryLines(BaseModel):
    code: str
    name: str
    emergency: str
    lines: list[CrisisLine]


class CrisisDirectory(BaseModel):
    verified_on: str
    countries: dict[str, CountryLines]


@lru_cache
def directory() -> CrisisDirectory:
    raw = yaml.safe_load(DATA.read_text())
    countries = {code: CountryLines(code=code, **entry) for code, entry in raw["countries"].items()}
    return CrisisDirectory(verified_on=str(raw["verified_on"]), countries=countries)


def for_country(code: str | None) -> CountryLines:
    countries = directory().countries
    return countries.get((code or "").upper()) or countries[DEFAULT_COUNTRY]


def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.code, c.name) for c in directory().countries.values()), key=lambda x: x[1])
