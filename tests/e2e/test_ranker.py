"""``Ranker`` on a ``List`` in a real JupyterLab and a real Chromium: items dragged with the mouse (pointer
down, several moves, up) within the list and into Buckets, and moved with the keyboard; the stored value
checked against Label Studio's ``{"ranker": {...}}`` (tags/control/Ranker.jsx: the Ranker's name without
Buckets; with Buckets every column, the list itself as ``"_"``); a Label Studio ranker annotation imported
with its task loads in its order and is stored unchanged when submitted unchanged.

The gallery's Ranker templates (generative-ai/llm-ranker and visual-ranker, read from the label-studio wheel
cached by tests/unit/config/test_gallery.py) render with ``sample_task()`` data, with no "not supported" note
and their ``<Style>`` applied to the items, and take a drag.

One JupyterLab, one page and one notebook serve the module; each test has a widget and a project of its own.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect

import labelnb as lnb
from labelnb.config import LabelConfig
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, stored_answer
from tests.e2e.widget_page import shot, wait_for
from tests.unit.config.test_gallery import _download

pytestmark = pytest.mark.e2e

USER = "ranker@example.org"
RANK = """<View>
  <Header value="Rank the results"/>
  <List name="results" value="$items" title="Search results"/>
  <Ranker name="rank" toName="results"/>
</View>"""
BUCKETS = """<View>
  <List name="results" value="$items" title="Search results"/>
  <Ranker name="rank" toName="results">
    <Bucket name="relevant" title="Relevant"/>
    <Bucket name="biased" title="Biased"/>
  </Ranker>
</View>"""
ITEMS = [
    {
        "id": "blog",
        "title": "10 tips to write a better function",
        "body": "There is nothing worse than that.",
    },
    {
        "id": "mdn",
        "title": "Arrow function expressions",
        "body": "A compact alternative to a traditional function.",
        "html": '<b>MDN</b> <i onclick="window.__pwned = 1">docs</i><script>window.__pwned = 2</script>'
        '<img src="https://example.org/beacon.png">',
    },
    {"id": "wiki", "title": "Arrow (computer science)", "body": "Arrows are a type class."},
    {"id": "so", "title": "Stack Overflow", "body": "Questions and answers."},
]
DATA = {"items": ITEMS}
#: what Label Studio stores for the Bucket config after "wiki" and "blog" went to Relevant, "so" to Biased
IMPORTED = [
    {
        "id": "rk_Ab12Cd3",
        "from_name": "rank",
        "to_name": "results",
        "type": "ranker",
        "origin": "manual",
        "value": {"ranker": {"_": ["mdn"], "relevant": ["wiki", "blog"], "biased": ["so"]}},
    }
]
PROJECTS = {"rank": RANK, "buckets": BUCKETS, "imported": BUCKETS}
#: the gallery templates with a Ranker: project name -> template folder in the wheel
GALLERY = {"llm-ranker": "generative-ai/llm-ranker", "visual-ranker": "generative-ai/visual-ranker"}


def gallery_config(template: str) -> str:
    with zipfile.ZipFile(_download()) as wheel:
        doc = yaml.safe_load(wheel.read(f"label_studio/annotation_templates/{template}/config.yml"))
    config: str = doc["config"]
    return config


def stored(workdir: Path, name: str, versions: int = 1) -> list[dict[str, Any]] | None:
    """The newest annotation's result once it has ``versions`` versions, else None."""
    count, result = stored_answer(workdir, name)
    return result if count >= versions else None


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("ranker")
    for name, config in PROJECTS.items():
        project = lnb.Project.create(tmp / "projects" / name, config=config)
        if name == "imported":
            project.import_tasks(
                [{"data": DATA, "annotations": [{"completed_by": {"email": USER}, "result": IMPORTED}]}]
            )
        else:
            project.import_tasks([DATA])
        project.close()
    for name, template in GALLERY.items():
        config = LabelConfig.from_xml(gallery_config(template))
        project = lnb.Project.create(tmp / "projects" / name, config=gallery_config(template))
        project.import_tasks([config.sample_task()])
        project.close()
    with notebook_lab(browser, tmp, USER, "ranker.ipynb", [*PROJECTS, *GALLERY]) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


def item(root: Locator, item_id: str) -> Locator:
    return root.locator(f"[data-item={item_id}]")


def column_ids(root: Locator, column: str) -> list[str]:
    ids: list[str] = root.locator(f"[data-column='{column}'] [data-item]").evaluate_all(
        "els => els.map(e => e.dataset.item)"
    )
    return ids


def drag(page: Page, source: Locator, x: float, y: float, steps: int = 8) -> None:
    """Press on the middle of ``source``'s text, move in ``steps`` steps to (x, y), release: a person's drag."""
    box = source.locator(".lnb-list-content").bounding_box()
    assert box is not None
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + min(12, box["height"] / 2)
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(x0 + (x - x0) * i / steps, y0 + (y - y0) * i / steps)
    page.mouse.up()


def top_of(target: Locator) -> tuple[float, float]:
    """A point just inside the top edge of ``target`` (above its middle: a drop before it)."""
    box = target.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + 6


def middle_of(target: Locator) -> tuple[float, float]:
    box = target.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_ranker_without_buckets_drags_an_item_to_the_top(checked: Lab) -> None:
    lab = checked
    root = lab.roots["rank"]
    root.scroll_into_view_if_needed()
    assert column_ids(root, "rank") == ["blog", "mdn", "wiki", "so"]
    expect(root.locator("[data-column=rank] h4")).to_have_text("Search results")
    mdn = item(root, "mdn")
    expect(mdn.locator("h3")).to_have_text("Arrow function expressions")
    # the item's html went through the one sanitiser profile: markup kept, no script, handler or remote image
    html = mdn.locator("p").nth(1)
    expect(html.locator("b")).to_have_text("MDN")
    assert html.locator("script").count() == 0
    assert html.locator("img").evaluate_all("els => els.map(e => e.getAttribute('src'))") in ([], [None])
    assert html.locator("i").evaluate("el => el.getAttribute('onclick')") is None
    assert lab.page.evaluate("() => window.__pwned") is None

    # while the item is dragged a line shows where it lands; it lands only on release
    wiki = item(root, "wiki")
    box = wiki.locator(".lnb-list-content").bounding_box()
    assert box is not None
    x, y = top_of(item(root, "blog"))
    lab.page.mouse.move(box["x"] + 40, box["y"] + 10)
    lab.page.mouse.down()
    for i in range(1, 7):
        lab.page.mouse.move(
            box["x"] + 40 + (x - box["x"] - 40) * i / 6, box["y"] + 10 + (y - box["y"] - 10) * i / 6
        )
    expect(root.locator("[data-drop-mark]")).to_have_count(1)
    expect(wiki).to_have_class("lnb-list-item lnb-ranker-item htx-ranker-item lnb-dragging")
    shot(lab.page, "ranker-dragging")
    assert column_ids(root, "rank") == ["blog", "mdn", "wiki", "so"]
    lab.page.mouse.up()
    expect(root.locator("[data-drop-mark]")).to_have_count(0)
    assert column_ids(root, "rank") == ["wiki", "blog", "mdn", "so"]

    # a drag to the end: onto the lower half of the last item
    last = item(root, "so").bounding_box()
    assert last is not None
    drag(lab.page, item(root, "blog"), last["x"] + last["width"] / 2, last["y"] + last["height"] - 5)
    assert column_ids(root, "rank") == ["wiki", "mdn", "so", "blog"]
    # and one with the keyboard: the focus stays on the moved item's button
    item(root, "so").locator("[data-move=up]").focus()
    lab.page.keyboard.press("Enter")
    expect(item(root, "so").locator("[data-move=up]")).to_be_focused()
    lab.page.keyboard.press("Enter")
    assert column_ids(root, "rank") == ["so", "wiki", "mdn", "blog"]
    # the drop outside the board does nothing
    drag(lab.page, item(root, "mdn"), 5, 5)
    assert column_ids(root, "rank") == ["so", "wiki", "mdn", "blog"]
    shot(lab.page, "ranker-ranked")

    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "rank"), "the Ranker answer in the store")
    assert len(result) == 1
    got = result[0]
    assert (got["type"], got["from_name"], got["to_name"]) == ("ranker", "rank", "results")
    assert got["value"] == {"ranker": {"rank": ["so", "wiki", "mdn", "blog"]}}
    LabelConfig.from_xml(RANK).validate_result(result, DATA)


def test_ranker_with_buckets_drags_items_into_them(checked: Lab) -> None:
    lab = checked
    root = lab.roots["buckets"]
    root.scroll_into_view_if_needed()
    headings = root.locator("[data-column] h4").all_inner_texts()
    assert headings == ["Search results", "Relevant", "Biased"]
    assert column_ids(root, "_") == ["blog", "mdn", "wiki", "so"]
    relevant = root.locator("[data-column=relevant]")
    biased = root.locator("[data-column=biased]")

    drag(lab.page, item(root, "mdn"), *middle_of(relevant.locator("[data-drop]")))
    assert column_ids(root, "relevant") == ["mdn"]
    drag(lab.page, item(root, "so"), *top_of(item(root, "mdn")))  # above mdn in Relevant
    assert column_ids(root, "relevant") == ["so", "mdn"]
    drag(lab.page, item(root, "blog"), *middle_of(biased.locator("[data-drop]")))
    assert column_ids(root, "biased") == ["blog"]
    # and back: from Relevant into the list, before wiki
    drag(lab.page, item(root, "mdn"), *top_of(item(root, "wiki")))
    assert column_ids(root, "_") == ["mdn", "wiki"]
    # the keyboard moves between columns too
    item(root, "wiki").locator("[data-move=right]").click()
    assert column_ids(root, "relevant") == ["so", "wiki"]
    assert column_ids(root, "_") == ["mdn"]
    shot(lab.page, "ranker-buckets")

    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "buckets"), "the Ranker answer in the store")
    assert len(result) == 1
    got = result[0]
    assert (got["type"], got["from_name"], got["to_name"]) == ("ranker", "rank", "results")
    # every column, the list as "_", as Label Studio's Ranker stores it
    assert got["value"] == {"ranker": {"_": ["mdn"], "relevant": ["so", "wiki"], "biased": ["blog"]}}
    LabelConfig.from_xml(BUCKETS).validate_result(result, DATA)


def test_a_label_studio_ranker_annotation_loads_in_its_order_and_is_stored_unchanged(checked: Lab) -> None:
    lab = checked
    root = lab.roots["imported"]
    root.scroll_into_view_if_needed()
    # the only task is answered: the "all done" screen, and Back to the stored answer
    expect(root.locator("[data-testid=empty]")).to_be_visible(timeout=60_000)
    root.locator("[data-testid=back]").click()
    expect(root.locator("[data-column=relevant] [data-item]")).to_have_count(2)
    assert column_ids(root, "_") == ["mdn"]
    assert column_ids(root, "relevant") == ["wiki", "blog"]
    assert column_ids(root, "biased") == ["so"]
    shot(lab.page, "ranker-imported")
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "imported", versions=2), "the resubmitted Ranker answer")
    assert result == IMPORTED


@pytest.mark.parametrize("name", list(GALLERY))
def test_gallery_ranker_templates_render_with_their_style(checked: Lab, name: str) -> None:
    lab = checked
    root = lab.roots[name]
    root.scroll_into_view_if_needed()
    board = root.locator("[data-ranker=rank]")
    expect(board).to_be_visible()
    assert root.locator("[data-unsupported]").count() == 0
    assert "Not shown in this version" not in root.inner_text()
    config = LabelConfig.from_xml(gallery_config(GALLERY[name]))
    data = config.sample_task()["data"]
    items = next(v for v in data.values() if isinstance(v, list))
    ids = [str(it["id"]) for it in items]
    first_column = board.locator("[data-column]").first.get_attribute("data-column")
    assert first_column is not None
    assert column_ids(root, first_column) == ids
    # the template's <Style> reaches the items: it hides their last line (the id), as in Label Studio
    expect(item(root, ids[0]).locator(".lnb-list-id")).to_be_hidden()
    expect(item(root, ids[0]).locator("h3")).to_be_visible()
    columns = board.locator("[data-column]")
    target = columns.nth(1) if columns.count() > 1 else None
    if target is not None:  # llm-ranker: into the first Bucket
        drag(lab.page, item(root, ids[1]), *middle_of(target.locator("[data-drop]")))
        assert column_ids(root, target.get_attribute("data-column") or "") == [ids[1]]
    else:  # visual-ranker: rank only
        drag(lab.page, item(root, ids[1]), *top_of(item(root, ids[0])))
        assert column_ids(root, first_column)[:2] == [ids[1], ids[0]]
    root.evaluate("el => el.scrollIntoView({block: 'start'})")
    shot(lab.page, f"ranker-gallery-{name}")
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, name), f"the {name} answer in the store")
    assert [r["type"] for r in result] == ["ranker"]
    config.validate_result(result, data)
