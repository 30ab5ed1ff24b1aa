"""The front end's modules (js/src) import one another without circles, and its rooms talk downward.

DESIGN.md: "No import circles"; ``state/`` is the annotation being edited, a document with no UI in it;
``protocol.ts`` mirrors labelnb/widget/protocol.py and depends on nothing of labelnb's own. Type-only
imports (``import type``) count: they vanish from the bundle, but a circle of modules is still a circle
of the design, and the next value import along it would make it a real one.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "js" / "src"
EXTENSIONS = (".ts", ".tsx")

# an import/export clause holds only names, braces, commas, `*`, `as` and `type`: it cannot span code
_CLAUSE = r"[\w$*{},\s]+?"
_FROM = re.compile(
    rf"^[ \t]*(?:import|export)\s+(?P<type>type\s+)?(?P<clause>{_CLAUSE})\s*from\s*[\"'](?P<spec>[^\"']+)[\"']",
    re.M,
)
_BARE = re.compile(r"^[ \t]*import\s*[\"'](?P<spec>[^\"']+)[\"']", re.M)  # import "./styles.css"
_DYNAMIC = re.compile(r"\bimport\(\s*[\"'](?P<spec>[^\"']+)[\"']\s*\)")


def _type_only(match: re.Match[str]) -> bool:
    """`import type {A}`, or `import {type A, type B}`: nothing of it exists at run time."""
    if match.group("type"):
        return True
    clause = match.group("clause").strip()
    if not (clause.startswith("{") and clause.endswith("}")):
        return False
    names = [n.strip() for n in clause[1:-1].split(",") if n.strip()]
    return bool(names) and all(n.startswith("type ") for n in names)


def imports(path: Path) -> list[tuple[str, bool]]:
    """The specifiers `path` imports or re-exports from, each with whether the import is type-only."""
    text = path.read_text()
    found = [(m.group("spec"), _type_only(m)) for m in _FROM.finditer(text)]
    found += [(m.group("spec"), False) for m in _BARE.finditer(text)]
    found += [(m.group("spec"), False) for m in _DYNAMIC.finditer(text)]
    return found


def resolve(importer: Path, spec: str) -> Path | None:
    """The js/src file a relative specifier names (`./x` -> x.ts, x.tsx, x/index.ts, x/index.tsx)."""
    if not spec.startswith("."):
        return None  # a package (preact, dompurify)
    base = (importer.parent / spec).resolve()
    candidates = [base] if base.suffix in EXTENSIONS else []
    candidates += [base.with_name(base.name + ext) for ext in EXTENSIONS]
    candidates += [base / f"index{ext}" for ext in EXTENSIONS]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    if base.suffix and base.is_file():
        return None  # an asset esbuild loads (./styles.css)
    raise AssertionError(f"{importer.relative_to(SRC)}: cannot resolve import {spec!r}")


def sources() -> list[Path]:
    return sorted(p for ext in EXTENSIONS for p in SRC.rglob(f"*{ext}"))


def name(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def graph(*, with_types: bool) -> dict[str, set[str]]:
    """Module -> the js/src modules it imports (type-only imports too when `with_types`)."""
    out: dict[str, set[str]] = {}
    for path in sources():
        edges = out.setdefault(name(path), set())
        for spec, type_only in imports(path):
            if type_only and not with_types:
                continue
            target = resolve(path, spec)
            if target is not None:
                edges.add(name(target))
    return out


def strongly_connected(g: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components of more than one module (or one that imports itself), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in g[v]:
                found.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return sorted(found, key=lambda c: (-len(c), c))


def shortest_cycle(g: dict[str, set[str]], start: str, within: set[str]) -> list[str]:
    """The shortest chain start -> ... -> start inside one component (breadth first)."""
    parent: dict[str, str] = {}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(g[v] & within):
            if w == start:
                chain = [v]
                while chain[-1] != start:
                    chain.append(parent[chain[-1]])
                return [start, *reversed(chain[:-1]), start]
            if w not in parent:
                parent[w] = v
                queue.append(w)
    raise AssertionError(f"{start} is in a component but on no cycle")


def describe(g: dict[str, set[str]]) -> list[str]:
    """Each circle as a chain of files: per component, the shortest circle through each of its modules."""
    lines = []
    for comp in strongly_connected(g):
        within = set(comp)
        lines.append(f"a circle of {len(comp)}: {', '.join(comp)}")
        chains = {" -> ".join(shortest_cycle(g, m, within)) for m in comp}
        seen: list[list[str]] = []
        for chain in sorted(chains, key=lambda c: (len(c), c)):
            files = chain.split(" -> ")
            ring = set(files)
            if any(set(s) == ring for s in seen):
                continue  # the same circle, entered at another module
            seen.append(files)
            lines.append(f"  {chain}")
    return lines


def test_the_parser_sees_the_imports_the_front_end_has() -> None:
    g = graph(with_types=True)
    assert "App.tsx" in g["index.tsx"]
    assert "state/analysis.ts" in g["App.tsx"]  # an import over several lines
    assert "protocol.ts" in g["state/results.ts"]
    assert {"protocol.ts", "state/codecs.ts"} <= g["state/annotation.ts"]
    # a type-only import is seen, and marked as such
    kinds = dict(imports(SRC / "state" / "annotation.ts"))
    assert kinds["../protocol"] is True


def test_the_circle_finder_finds_circles() -> None:
    g = {"a.ts": {"b.ts"}, "b.ts": {"c.ts"}, "c.ts": {"a.ts", "d.ts"}, "d.ts": set(), "e.ts": {"e.ts"}}
    assert strongly_connected(g) == [["a.ts", "b.ts", "c.ts"], ["e.ts"]]
    assert describe(g) == [
        "a circle of 3: a.ts, b.ts, c.ts",
        "  a.ts -> b.ts -> c.ts -> a.ts",
        "a circle of 1: e.ts",
        "  e.ts -> e.ts",
    ]


def test_no_import_circles_even_through_type_only_imports() -> None:
    cycles = describe(graph(with_types=True))
    assert cycles == [], "import circles in js/src:\n" + "\n".join(cycles)


def test_no_import_circles_at_run_time() -> None:
    cycles = describe(graph(with_types=False))
    assert cycles == [], "import circles in js/src (value imports only):\n" + "\n".join(cycles)


def layer_of(module: str) -> str:
    """A module's room: its folder under js/src, or the file itself at the top."""
    return module.split("/", 1)[0] if "/" in module else module


# room -> the rooms and top-level files it must not import (DESIGN.md, "Layout" and "The editor")
UI_ROOMS = {"controls", "objects", "layout", "panels"}
UI_FILES = {"context.ts", "tree.tsx", "App.tsx", "Toolbar.tsx", "index.tsx"}
UI = UI_ROOMS | UI_FILES
KERNEL = {"kernel", "session.ts", "media.ts"}
FORBIDDEN = {
    # the annotation being edited: a document, with no UI and no rendering context; it talks to no kernel
    "state": UI | KERNEL,
    # the analysed control model: data the document and the UI read, below both
    "schema": UI | KERNEL | {"state"},
}


def test_state_and_schema_import_no_ui() -> None:
    g = graph(with_types=True)
    problems = [
        f"{module} imports {target}"
        for module, targets in sorted(g.items())
        for target in sorted(targets)
        if layer_of(target) in FORBIDDEN.get(layer_of(module), set())
    ]
    assert problems == [], "imports against the layering:\n" + "\n".join(problems)


def test_state_and_schema_use_no_preact() -> None:
    problems = [
        f"{name(path)} imports {spec}"
        for path in sources()
        if layer_of(name(path)) in FORBIDDEN
        for spec, _ in imports(path)
        if spec == "preact" or spec.startswith("preact/")
    ]
    assert problems == [], "\n".join(problems)


def test_protocol_imports_nothing_of_labelnb() -> None:
    assert graph(with_types=True)["protocol.ts"] == set()
