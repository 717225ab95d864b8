"""Command line: python -m app serve | migrate | demo | create-admin | vapid-keys"""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

app = typer.Typer(help="Groundwork", no_args_is_help=True, add_completion=False)

KEEP_ALIVE_SECONDS = 75


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic: the only way the schema is made)."""
    from app import migrate as migrations

    migrations.upgrade()
    print("Database is up to date.")


@app.command()
def demo(force: Annotated[bool, typer.Option(help="Seed even if there are users")] = False) -> None:
    """Seed the demo clinic when the database is empty, and print the demo logins."""
    from app import demo as demo_data
    from app.db import write_session

    with write_session() as session:
        if not force and not demo_data.is_empty(session):
            print("The database already has accounts; demo not seeded.")
            _print_logins()
            return
        demo_data.seed(session)
    _print_logins()


def _print_logins() -> None:
    from app import demo as demo_data
    from app.config import get_settings

    print(
        f"\nGroundwork is at {get_settings().base_url}\nDemo logins (password: {demo_data.DEMO_PASSWORD}):"
    )
    print("  admin      admin@demo.groundwork.local")
    print("  therapist  ruth@demo.groundwork.local, daniel@demo.groundwork.local")
    for name, email, *_ in demo_data.CLIENTS:
        print(f"  client     {email}  ({name})")
    print()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[int, typer.Option()] = 1,
) -> None:
    """Serve the app with uvicorn."""
    import uvicorn

    from app.config import get_settings
    from app.vapid import ensure_keys

    settings = get_settings()
    ensure_keys()
    uvicorn.run(
        "app.asgi:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        proxy_headers=True,
        access_log=False,
        # Longer than any client's or proxy's idle timeout (60 s is common), so the server is
        # never the side that closes an idle connection just as a request is sent on it.
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


@app.command("create-admin")
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
    print(f"Admin {email} created for {clinic}.")


@app.command("vapid-keys")
def vapid_keys() -> None:
    """Create the Web Push (VAPID) key pair if missing and print the public key."""
    from app.vapid import ensure_keys, public_key_b64

    path = ensure_keys()
    print(f"Private key: {path}\nPublic key (applicationServerKey): {public_key_b64(path)}")


@app.command("rotate-totp-key")
def rotate_totp_key() -> None:
    """Re-seal every two-step secret under the current GW_SECRET_KEY (after a key change, with the
    old key in GW_PREVIOUS_SECRET_KEYS); then the old key can be dropped from that list."""
    from app.accounts import two_factor
    from app.db import write_session

    with write_session() as session:
        done, failed = two_factor.reseal_all(session)
    print(f"Re-sealed {done} two-step secrets under the current key.")
    if failed:
        print(
            f"{failed} could not be opened with any configured key: those people must set up again."
        )
        raise typer.Exit(code=1)


if __name__ == "__main__":
    app()
