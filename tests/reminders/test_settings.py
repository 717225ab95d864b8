"""Settings that can break sending are refused at start-up, with a message saying what to set."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import Settings


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path, secret_key="x" * 40, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "subject", ["mailto:support@clinic.example", "https://clinic.example/contact"]
)
def test_a_contact_url_is_a_valid_vapid_subject(tmp_path: Path, subject: str) -> None:
    assert settings(tmp_path, vapid_subject=subject).vapid_subject == subject


@pytest.mark.parametrize(
    "subject", ["support@clinic.example", "mailto:", "http://clinic.example", "https://", ""]
)
def test_a_vapid_subject_push_services_refuse_stops_the_start(tmp_path: Path, subject: str) -> None:
    with pytest.raises(ValidationError, match="GW_VAPID_SUBJECT must be a mailto: address"):
        settings(tmp_path, vapid_subject=subject)


@pytest.mark.parametrize("host", ["smtp.clinic.example", "192.0.2.10", "::1"])
def test_a_host_name_or_address_is_a_valid_smtp_host(tmp_path: Path, host: str) -> None:
    assert settings(tmp_path, smtp_host=host).smtp_host == host


@pytest.mark.parametrize("host", ["smtp.clinic.example:587", "smtp://clinic.example", "", "a b"])
def test_an_smtp_host_with_a_port_or_scheme_stops_the_start(tmp_path: Path, host: str) -> None:
    with pytest.raises(ValidationError, match="GW_SMTP_HOST must be a host name"):
        settings(tmp_path, smtp_host=host)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("smtp_port", 0),
        ("smtp_port", 70000),
        ("smtp_timeout_seconds", 0),
        ("reminder_email_connections", 0),
    ],
)
def test_out_of_range_sending_settings_stop_the_start(
    tmp_path: Path, name: str, value: int
) -> None:
    with pytest.raises(ValidationError, match=name):
        settings(tmp_path, **{name: value})


def test_the_environment_is_checked_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GW_VAPID_SUBJECT", "ops@clinic.example")
    with pytest.raises(ValidationError, match="GW_VAPID_SUBJECT"):
        Settings(data_dir=tmp_path, secret_key="x" * 40)
