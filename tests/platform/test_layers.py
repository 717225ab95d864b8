"""The layer rules (docs/architecture.md, "Layers"), checked on the source's runtime imports:

1. shared modules (`app/*.py` and non-domain packages) import no domain: they reach domains only
   through the registry (`app.domains.plugins`);
2. no cycles between packages or shared modules;
3. a domain imports another only through its `service`, its `record` plug-in, or a module it
   declares public in its `__init__.py` (`PUBLIC = (...)`).

Imports under `if TYPE_CHECKING:` name a type and load nothing, so they are not dependencies.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

import app
from app.domains import DOMAINS

APP = Path(app.__file__).parent
ALWAYS_PUBLIC = frozenset({"service", "record"})
# History is not rewritten: a migration may use the code of its day (coping_0002's backfill).
SKIPPED = frozenset({"migrations"})
# Known reaches past another domain's public modules, each with why it stays. A new one fails the
# test, and so does a listed one that is no longer there (take it off the list).
KNOWN: Mapping[tuple[str, str], str] = {
    ("app.coping.service", "app.sensory.models"): "the ranked list reads profile, kit and fit in "
    "one statement on the distress path (bench: coping: ranked calm strategies)",
    ("app.demo", "app.accounts.models"): "the demo clinic is made of accounts before any "
    "domain's demo.py can seed it",
    ("app.demo", "app.accounts.security"): "demo passwords are hashed as real ones",
}


class Import(NamedTuple):
    source: str  # app.progress.pages
    target: str  # app.homework.queries (a module, or a package when a name is imported from it)


def unit(module: str) -> str:
    """The package or shared module an import belongs to: app.accounts.models -> accounts."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _is_module(name: str) -> bool:
    path = APP.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _run_time_nodes(node: ast.AST) -> Iterator[ast.AST]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for other in child.orelse:
                yield other
                yield from _run_time_nodes(other)
            continue
        yield child
        yield from _run_time_nodes(child)


def runtime_imports(tree: ast.Module) -> Iterator[str]:
    """Every `app.*` module a file imports when it runs (function-level imports included)."""
    for node in _run_time_nodes(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("app."))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "app":
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                yield sub if _is_module(sub) else str(node.module)


def collect(root: Path = APP) -> list[Import]:
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if set(parts) & SKIPPED:
            continue
        source = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(), str(path))
        found += [Import(source, t) for t in runtime_imports(tree) if unit(t) != unit(source)]
    return sorted(set(found))  # one per (importer, module), however many names


def cycles(edges: Iterable[tuple[str, str]]) -> list[set[str]]:
    """Groups of units that import each other, directly or around a loop."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reached = {node: reach(node) for node in graph}
    groups = {frozenset({a} | {b for b in reached[a] if a in reached.get(b, ())}) for a in graph}
    return [set(g) for g in groups if len(g) > 1]


def violations(
    imports: Iterable[Import], domains: Iterable[str], public: Mapping[str, Iterable[str]]
) -> list[str]:
    domains, imports = set(domains), list(imports)
    out = []
    for source, target in imports:
        into, owner = unit(target), unit(source)
        if into not in domains or (source, target) in KNOWN:
            continue
        if owner not in domains:
            out.append(f"shared module {source} imports the domain module {target}")
            continue
        module = target.split(".")[2] if target.count(".") >= 2 else None
        if module is not None and module not in ALWAYS_PUBLIC | set(public.get(into, ())):
            out.append(f"{source} imports {target}, which {into} does not declare public")
    for group in cycles((unit(i.source), unit(i.target)) for i in imports):
        out.append(f"import cycle between {sorted(group)}")
    return sorted(out)


def declared_public() -> dict[str, tuple[str, ...]]:
    return {d: getattr(importlib.import_module(f"app.{d}"), "PUBLIC", ()) for d in DOMAINS}


def test_the_app_keeps_its_layer_rules() -> None:
    found = violations(collect(), DOMAINS, declared_public())
    assert not found, "\n".join(found)


def test_every_known_exception_is_still_needed() -> None:
    assert set(KNOWN) <= set(collect()), "a listed exception is gone: remove it from KNOWN"


def test_the_checker_finds_each_kind_of_violation() -> None:
    bad = [
        Import("app.middleware", "app.accounts.dependencies"),  # shared -> domain
        Import("app.progress.pages", "app.homework.models"),  # not declared public
        Import("app.progress.pages", "app.homework.service"),  # fine
        Import("app.homework.service", "app.progress.goals"),  # declared, but makes a cycle
    ]
    assert violations(bad, ["homework", "progress", "accounts"], {"progress": ["goals"]}) == [
        "app.progress.pages imports app.homework.models, which homework does not declare public",
        "import cycle between ['homework', 'progress']",
        "shared module app.middleware imports the domain module app.accounts.dependencies",
    ]


def test_type_only_and_late_imports_are_told_apart() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from app import clock\n"
        "if TYPE_CHECKING:\n    from app.accounts.models import User\n"
        "def f():\n    from app.routines import service\n"
    )
    assert list(runtime_imports(ast.parse(source))) == ["app.clock", "app.routines.service"]
