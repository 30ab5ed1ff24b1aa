"""The ``controls`` trait: the analysed control model of the task on screen, made from the config the view is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import labelnb as lnb
from labelnb.config import LabelConfig
from tests.kernel_browser import open_widget

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text" value="$topics" required="true"/>
  <Rating name="stars" toName="text" maxRating="30"/>
</View>
"""

TASKS = [
    {"text": "one", "topics": [{"value": "Food"}, {"value": "Service", "hotkey": "s"}]},
    {"text": "two", "topics": [{"value": "Price"}]},
]


def labels(model: dict[str, Any], control: str) -> list[tuple[str, str | None]]:
    spec = next(c for c in model["controls"] if c["name"] == control)
    return [(label["label"], label["hotkey"]) for label in spec["labels"]]


def test_the_trait_is_the_control_model_of_the_task_and_follows_it(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks(TASKS)
    config = LabelConfig.from_xml(CONFIG)
    browser = open_widget(project)
    widget = browser.widget

    assert widget.controls == config.for_task(TASKS[0]).control_model()
    assert labels(widget.controls, "topic") == [("Food", "1"), ("Service", "s")]
    stars = next(c for c in widget.controls["controls"] if c["name"] == "stars")
    assert (stars["max_rating"], stars["hotkey"], stars["hotkey_auto"]) == (30, "2", True)
    # the view and the model name the same controls at the same paths
    assert [widget.view["children"][c["path"][0]]["attrs"]["name"] for c in widget.controls["controls"]] == [
        "topic",
        "stars",
    ]

    submit = {"from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["Food"]}}
    assert browser.send("submit", task_id=widget.task["id"], result=[submit])["ok"] is True
    assert widget.task["data"]["text"] == "two"
    assert widget.controls == config.for_task(TASKS[1]).control_model()
    assert labels(widget.controls, "topic") == [("Price", "1")]


def test_no_task_no_model(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    widget = open_widget(project).widget
    assert widget.task == {}
    assert widget.controls == {}
    assert widget.view == {}
