"""notebooks/ner.ipynb in a real JupyterLab: spans and a relation made with the mouse and keyboard, then the
notebook's own tables (regions, relations, BIO tokens) read back what the kernel stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import labelnb as lnb
from tests.e2e.servers import jupyter_lab
from tests.e2e.test_quickstart import assert_no_raw_reprs, run_all_cells
from tests.e2e.widget_page import drag_over_text, shot, wait_for, widgets

pytestmark = pytest.mark.e2e

USER = "editor@example.org"
FIRST = "Ada Lovelace worked with Charles Babbage in London on the Analytical Engine."


def test_ner_notebook_spans_relation_and_tables(page: Page, tmp_path: Path) -> None:
    workdir = tmp_path / "projects"
    with jupyter_lab(tmp_path, workdir, USER) as server:
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(f"{server.url}/lab/tree/ner.ipynb?token={server.token}")
        run_all_cells(page)
        (widget,) = widgets(page, 1)
        # every cell has run (the three tables below the widget are drawn): nothing moves the text any more
        # while the mouse selects in it (a CI run dragged from where the text had been)
        expect(page.locator(".jp-OutputArea-output table")).to_have_count(3, timeout=60_000)
        text = widget.locator(".lnb-spans[data-object=text]")
        expect(text).to_contain_text("on the Analytical Engine.", timeout=60_000)
        # the gazetteer's guesses are pre-annotations: Ada Lovelace, Charles Babbage, London
        expect(widget.locator("[data-region-item]")).to_have_count(3)

        # a span the model missed, by mouse; word granularity widens "nalytical Engin" to the words
        widget.locator("[data-label-control=ner][data-label=MISC]").click()
        start = FIRST.index("Analytical")
        drag_over_text(page, text, start + 1, start + len("Analytical Engine") - 1)
        expect(text.locator(".lnb-span[data-label=MISC]")).to_have_text("Analytical Engine")
        page.keyboard.press("Escape")

        # Ada Lovelace -> London, based_in: select the span by its tag, Alt+R, click the other span
        spans = {
            widget.locator(f"[data-region-item='{rid}']").inner_text(): rid
            for rid in widget.locator("[data-region-item]").evaluate_all(
                "els => els.map((e) => e.dataset.regionItem)"
            )
        }
        ada = next(rid for label, rid in spans.items() if "Ada Lovelace" in label)
        london = next(rid for label, rid in spans.items() if "London" in label)
        text.locator(f"[data-tag='{ada}']").click()
        page.keyboard.press("Alt+r")
        text.locator(f".lnb-span[data-spans~='{london}']").click()
        arc = text.locator(f".lnb-span-arrows [data-relation='{ada}>{london}']")
        expect(arc).to_have_count(1)
        widget.locator("[data-relation-item] [data-relation-label=based_in]").click()
        expect(arc.locator("text")).to_have_text("based_in")
        text.scroll_into_view_if_needed()
        shot(page, "ner-notebook-labelled")
        text.click(position={"x": 2, "y": 2})
        page.keyboard.press("Control+Enter")
        expect(text).not_to_contain_text("Ada Lovelace", timeout=30_000)  # the next sentence is shown

        def stored() -> list | None:
            tasks = [t for t in lnb.Project.open(workdir / "news-ner").export("json") if t["annotations"]]
            return tasks[0]["annotations"][0]["result"] if tasks else None

        result = wait_for(stored, "the first sentence's annotation in the store")
        by_id = {it["id"]: it for it in result if it["type"] == "labels"}
        assert sorted((v["value"]["text"], v["value"]["labels"][0]) for v in by_id.values()) == [
            ("Ada Lovelace", "PER"),
            ("Analytical Engine", "MISC"),
            ("Charles Babbage", "PER"),
            ("London", "LOC"),
        ]
        for it in by_id.values():
            assert FIRST[it["value"]["start"] : it["value"]["end"]] == it["value"]["text"]
        assert [it for it in result if it["type"] == "relation"] == [
            {
                "from_id": ada,
                "to_id": london,
                "type": "relation",
                "direction": "right",
                "labels": ["based_in"],
            }
        ]

        # the notebook's tables, run again, show what was stored
        run_all_cells(page)
        (widget,) = widgets(page, 1)
        tables = page.locator(".jp-OutputArea-output table")
        expect(tables).to_have_count(3, timeout=60_000)
        spans_table, relations_table, tokens_table = (tables.nth(i).inner_text() for i in range(3))
        assert "Analytical Engine" in spans_table
        assert "Analytical Engine\t[MISC]" in spans_table
        assert "Ada Lovelace\tPER\tbased_in\tright\tLondon\tLOC" in relations_table
        for token, tag in (("Ada", "B-PER"), ("Lovelace", "I-PER"), ("London", "B-LOC"), ("worked", "O")):
            assert f"{token}\t{tag}" in tokens_table
        assert_no_raw_reprs(page)
        shot(page, "ner-notebook-tables")
