"""Command line: python -m app serve | migrate | demo | create-admin | vapid-keys"""

from __future__ import annotations

from typing import Annotated

import typer

from app.domains import plugins

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


@app.command("vapid-keys")
def vapid_keys() -> None:
    """Create the Web Push (VAPID) key pair if missing and print the public key."""
    from app.vapid import ensure_keys, public_key_b64

    path = ensure_keys()
    print(f"Private key: {path}\nPublic key (applicationServerKey): {public_key_b64(path)}")


for _domain, _module in plugins("cli"):
    _module.register(app)


if __name__ == "__main__":
    app()
