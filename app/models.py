"""Imports every domain's models so there is one metadata for Alembic and for tests."""

from __future__ import annotations

from sqlmodel import SQLModel

from app.domains import plugins

for _domain, _module in plugins("models"):
    pass

metadata = SQLModel.metadata
