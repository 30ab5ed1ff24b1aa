"""Every HTML sink of the front end goes through the one sanitiser profile (js/src/sanitize.ts).

A static check: new code that writes HTML into the page any other way fails here before it can ship.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "js" / "src"
# ways to turn a string into markup in the page
RAW_SINKS = re.compile(
    r"\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|createContextualFragment"
)


def sources() -> list[Path]:
    files = sorted(p for p in SRC.rglob("*") if p.suffix in (".ts", ".tsx"))
    assert files, f"no front-end sources under {SRC}"
    return files


def test_no_raw_html_sinks() -> None:
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sources()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if RAW_SINKS.search(line)
    ]
    assert found == [], "write HTML only through innerHtml() of js/src/sanitize.ts:\n" + "\n".join(found)


def test_every_dangerously_set_inner_html_is_sanitised() -> None:
    uses, unsafe = 0, []
    for path in sources():
        text = path.read_text()
        for match in re.finditer(r"dangerouslySetInnerHTML=\{([^}]*)\}", text):
            uses += 1
            value = match.group(1).strip()
            # innerHtml(...) itself, or a name this file sets only from innerHtml(...)
            named = re.fullmatch(r"\w+", value) and re.search(rf"const {value} = [^;]*innerHtml\(", text)
            if not value.startswith("innerHtml(") and not named:
                unsafe.append(f"{path.relative_to(SRC)}: {value}")
    assert uses, "the Choice html sink is expected to be found"
    assert unsafe == [], "pass HTML through innerHtml() of js/src/sanitize.ts:\n" + "\n".join(unsafe)
