"""Accounts' commands for `python -m app` (the CLI finds them through `plugins("cli")`, so it
imports no domain). Imports stay inside the commands: the CLI starts without loading the app."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer


def register(cli: typer.Typer) -> None:
    cli.command("create-admin")(create_admin)
    cli.command("rotate-totp-key")(rotate_totp_key)


def create_admin(
    email: Annotated[str, typer.Option(prompt=True)],
    clinic: Annotated[str, typer.Option(prompt="Clinic name")],
    name: Annotated[str, typer.Option(prompt=True)] = "Administrator",
) -> None:
    """Create a clinic and its first admin (asks for the password)."""
    from pydantic import TypeAdapter, ValidationError

    from app.accounts.models import Organisation, Role, User
    from app.accounts.security import hash_password
    from app.db import write_session
    from app.schema_types import Email

    try:
        email = TypeAdapter(Email).validate_python(email)
    except ValidationError as exc:
        raise typer.BadParameter("Enter an email address, like name@example.com.") from exc
    password = getpass.getpass("Password (10+ characters): ")
    if len(password) < 10:
        raise typer.BadParameter("The password needs at least 10 characters.")
    from app import clock

    with write_session() as session:
        org = Organisation(name=clinic)
        session.add(org)
        session.add(
            User(
                email=email,
                password_hash=hash_password(password),
                role=Role.admin,
                preferred_name=name,
                organisation_id=org.id,
                activated_at=clock.now(),
            )
        )
        session.commit()
    typer.echo(f"Admin {email} created for {clinic}.")


def rotate_totp_key() -> None:
    """Re-seal every two-step secret under the current GW_SECRET_KEY (after a key change, with the
    old key in GW_PREVIOUS_SECRET_KEYS); then the old key can be dropped from that list."""
    from app.accounts import two_factor
    from app.db import write_session

    with write_session() as session:
        done, failed = two_factor.reseal_all(session)
    typer.echo(f"Re-sealed {done} two-step secrets under the current key.")
    if failed:
        typer.echo(
            f"{failed} could not be opened with any configured key: those people must set up again."
        )
        raise typer.Exit(code=1)
