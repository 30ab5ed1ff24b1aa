"""DESIGN.md's rooms talk downward: each package of labelnb imports only the rooms below it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "labelnb"

# room -> the labelnb rooms it may import (itself always allowed)
ALLOWED = {
    "config": set(),
    "formats": {"config"},
    "store": {"_bulk"},
    "queue": {"store"},
    # the model in the loop: reads labels from the store, ranks the queue
    "learn": {"config", "formats", "store", "queue", "storage"},
    # background jobs: rows in the store, nothing above it (the notebook display lives in widget/jobs.py)
    "jobs": {"store"},
    # storages import tasks (formats) into the store
    "storage": {"config", "formats", "store"},
    # agreement reads configs (which controls to measure) and draws rotated boxes as formats does;
    # members, roles and reviews are rows in the store; progress reads its aggregates (store.activity)
    "team": {"config", "formats", "store"},
    "_bulk": set(),
    "session": {"config", "formats", "store", "queue", "storage", "team", "_bulk", "learn"},
    # the widget talks to the session only: never to the store, the queue or the project (and shows jobs)
    "widget": {"config", "session", "storage", "team", "jobs"},
    "project": {
        "config",
        "formats",
        "store",
        "queue",
        "storage",
        "team",
        "session",
        "widget",
        "learn",
        "jobs",
        "_bulk",
    },
    "cli": {"config", "formats", "store", "project"},
    # simulated annotators drive a project like people do
    "simulate": {"project", "learn"},
    "serverext": set(),
}


def room_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def labelnb_imports(path: Path) -> set[str]:
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "labelnb" and len(parts) > 1:
                rooms.add(parts[1])
    return rooms


def test_every_room_imports_only_rooms_below_it() -> None:
    problems = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent == PACKAGE and path.name == "__init__.py":
            continue  # the package's front door re-exports the public names
        room = room_of(path)
        assert room in ALLOWED, f"{path}: room {room!r} is not in DESIGN.md's layout; add it to ALLOWED"
        for used in labelnb_imports(path) - {room} - ALLOWED[room]:
            problems.append(f"{path.relative_to(PACKAGE)} imports labelnb.{used}")
    assert problems == []


def test_store_knows_no_widget_and_config_knows_nothing() -> None:
    assert "widget" not in ALLOWED["store"]
    assert ALLOWED["config"] == set()
    assert ALLOWED["formats"] == {"config"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_graph() -> dict[str, set[str]]:
    """labelnb's modules and the labelnb modules each imports, anywhere in it (functions and
    ``TYPE_CHECKING`` blocks too: a circle hidden there is still a circle of the design)."""
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        used: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in paths]
                used.update(submodules)
                if len(submodules) < len(node.names):  # a name defined by the module (or package) itself
                    used.add(base)
            elif isinstance(node, ast.Import):
                used.update(alias.name for alias in node.names)
        graph[name] = {m for m in used if m in paths and m != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_import_circles_not_even_through_a_package_init() -> None:
    assert circles(module_graph()) == []


def test_the_circle_check_finds_circles() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    graph = module_graph()
    assert "labelnb.session" in graph["labelnb.widget.annotator"]
    assert "labelnb.project" not in graph["labelnb.widget.annotator"]
