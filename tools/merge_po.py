"""A git merge driver for gettext catalogs: the union of both sides' translations.

Translators working side by side on different pages each add entries to the same catalog; a
line-based merge turns that into conflicts at every insertion point. This merges by message:
every message either side has, with a translation either side gave (ours wins when both gave
one). Run `make messages` after merging to re-sort the catalog and drop what no page uses.

    git config merge.po-union.driver "$PWD/.venv/bin/python tools/merge_po.py %O %A %B"
    # .gitattributes: *.po merge=po-union   *.pot merge=po-union
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def _read(path: str) -> Catalog:
    with Path(path).open("rb") as handle:
        return read_po(handle)


def _translated(message: object) -> bool:
    string = getattr(message, "string", "")
    return bool(all(string) if isinstance(string, tuple) else string)


def merge(ours: Catalog, theirs: Catalog) -> Catalog:
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, message.context)
        if mine is None:
            ours[message.id] = message
        elif not _translated(mine) and _translated(message):
            mine.string = message.string
            mine.flags = set(message.flags)
        for location in message.locations:
            if mine is not None and location not in mine.locations:
                mine.locations.append(location)
    return ours


def main(base: str, ours: str, theirs: str) -> int:
    del base  # every message either side has is kept: the base adds nothing
    catalog = merge(_read(ours), _read(theirs))
    with Path(ours).open("wb") as handle:
        write_po(handle, catalog, width=0, sort_by_file=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
