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
    "storage": set(),
    "team": set(),
    "_bulk": set(),
    "widget": {"config", "formats", "store", "queue", "storage", "team", "project", "_bulk"},
    "project": {"config", "formats", "store", "queue", "storage", "team", "widget", "_bulk"},
    "cli": {"config", "formats", "store", "project"},
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
