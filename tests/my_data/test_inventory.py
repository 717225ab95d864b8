"""The guard: every table holding a client's data is in the download, or says why it is not."""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.my_data import inventory

PERSON_COLUMNS = {"client_id", "user_id"}


def _refers_to(table: Table, targets: set[str]) -> bool:
    return any(fk.column.table.name in targets for fk in table.foreign_keys)


def test_every_table_with_client_data_is_exported_or_explained() -> None:
    exported = {k.table for k in inventory.KINDS}
    explained = set(inventory.NOT_CLIENT_DATA)
    missing = []
    for table in SQLModel.metadata.sorted_tables:
        about_a_person = bool(PERSON_COLUMNS & set(table.c.keys())) or _refers_to(
            table, {"user_account"}
        )
        part_of_exported = _refers_to(table, exported)
        if (about_a_person or part_of_exported) and table.name not in exported | explained:
            missing.append(table.name)
    assert not missing, (
        f"Tables {missing} hold data about a person but are not in the download: add them to "
        "app/my_data/inventory.py KINDS, or to NOT_CLIENT_DATA with the reason."
    )


def test_the_inventory_names_only_real_tables_and_columns() -> None:
    tables = SQLModel.metadata.tables
    for kind in inventory.KINDS:
        assert kind.table in tables, kind
        for owner in kind.owners:
            assert owner in tables[kind.table].c, kind
        if kind.parent is not None:
            assert "client_id" in tables[kind.parent].c, kind
            fk_targets = {
                fk.column.table.name for fk in tables[kind.table].c[kind.owners[0]].foreign_keys
            }
            assert kind.parent in fk_targets, kind
    for name in inventory.NOT_CLIENT_DATA:
        assert name in tables, name
    assert not {k.table for k in inventory.KINDS} & set(inventory.NOT_CLIENT_DATA)


def test_secrets_are_never_exported() -> None:
    for kind in inventory.KINDS:
        assert not set(inventory.exported_columns(kind)) & inventory.SECRET_COLUMNS
    account = next(k for k in inventory.KINDS if k.table == "user_account")
    assert "password_hash" not in inventory.exported_columns(account)
    assert "totp_secret" not in inventory.exported_columns(account)
