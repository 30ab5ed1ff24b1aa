"""Configs and task generators shared by the formats tests."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from labelnb.config import LabelConfig

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"

CONFIGS: dict[str, str] = {
    "choices_single": """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="pos"/><Choice value="neg"/><Choice value="neutral"/>
  </Choices>
</View>""",
    "choices_multiple": """
<View>
  <Text name="text" value="$text"/>
  <Choices name="topics" toName="text" choice="multiple">
    <Choice value="sports"/><Choice value="politics"/><Choice value="tech"/>
  </Choices>
</View>""",
    "textarea": """
<View>
  <Text name="text" value="$text"/>
  <TextArea name="summary" toName="text"/>
</View>""",
    "rating": """
<View>
  <Text name="text" value="$text"/>
  <Rating name="stars" toName="text" maxRating="5"/>
</View>""",
    "number": """
<View>
  <Text name="text" value="$text"/>
  <Number name="score" toName="text"/>
</View>""",
    "ner": """
<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>""",
    "image": """
<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image">
    <Label value="Cat"/><Label value="Dog"/>
  </RectangleLabels>
  <Choices name="quality" toName="image"><Choice value="ok"/><Choice value="blurry"/></Choices>
</View>""",
    # the data key "sentiment" is also a control name: csv renames it "_data_sentiment"
    "collision": """
<View>
  <Text name="text" value="$text"/>
  <Header value="$sentiment"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
  <TextArea name="note" toName="text"/>
</View>""",
}

TEXTS = [
    "Hello, world; said Ann",
    'She said "hi" / bye',
    "Zoë met Bob in Berlin",
    "line one\nline two, with comma",
    "emoji 👋 and http://example.com/a/b",
    "tab\there",
]


@pytest.fixture(params=sorted(CONFIGS))
def config_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def config_of(name: str) -> LabelConfig:
    return LabelConfig.from_xml(CONFIGS[name])


def _result(name: str, rng: random.Random, text: str) -> list[dict[str, Any]]:
    if name == "choices_single":
        return [_item("sentiment", "text", "choices", {"choices": [rng.choice(["pos", "neg", "neutral"])]})]
    if name == "choices_multiple":
        picked = rng.sample(["sports", "politics", "tech"], rng.randint(1, 3))
        return [_item("topics", "text", "choices", {"choices": picked})]
    if name == "textarea":
        lines = [rng.choice(TEXTS) for _ in range(rng.randint(1, 2))]
        return [_item("summary", "text", "textarea", {"text": lines})]
    if name == "rating":
        return [_item("stars", "text", "rating", {"rating": rng.randint(1, 5)})]
    if name == "number":
        return [_item("score", "text", "number", {"number": rng.choice([1, 2.5, -0.1, 1e-7, 123456.789])})]
    if name == "ner":
        out = []
        for _ in range(rng.randint(0, 3)):
            start = rng.randint(0, max(0, len(text) - 3))
            end = rng.randint(start + 1, len(text))
            out.append(
                _item(
                    "label",
                    "text",
                    "labels",
                    {
                        "start": start,
                        "end": end,
                        "text": text[start:end],
                        "labels": [rng.choice(["PER", "ORG"])],
                    },
                )
            )
        return out
    if name == "image":
        out = []
        for _ in range(rng.randint(0, 2)):
            box = _item(
                "box",
                "image",
                "rectanglelabels",
                {
                    "x": round(rng.uniform(0, 50), 3),
                    "y": round(rng.uniform(0, 50), 3),
                    "width": round(rng.uniform(1, 40), 3),
                    "height": round(rng.uniform(1, 40), 3),
                    "rotation": rng.choice([0, 15.5]),
                    "rectanglelabels": [rng.choice(["Cat", "Dog"])],
                },
            )
            box.update(original_width=640, original_height=480, image_rotation=0)
            out.append(box)
        if rng.random() < 0.7:
            out.append(_item("quality", "image", "choices", {"choices": [rng.choice(["ok", "blurry"])]}))
        return out
    if name == "collision":
        out = [_item("sentiment", "text", "choices", {"choices": [rng.choice(["pos", "neg"])]})]
        if rng.random() < 0.5:
            out.append(
                _item("note", "text", "textarea", {"text": ["a / note", "second"][: rng.randint(1, 2)]})
            )
        return out
    raise KeyError(name)


def _item(from_name: str, to_name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"r{random.getrandbits(32):08x}",
        "from_name": from_name,
        "to_name": to_name,
        "type": kind,
        "value": value,
        "origin": "manual",
    }


def make_tasks(name: str, count: int = 30, seed: int = 7) -> list[dict[str, Any]]:
    """Export-shaped tasks with the situations the converter distinguishes."""
    rng = random.Random(seed)
    random.seed(seed)
    tasks = []
    users = [{"id": 1, "email": "ann@example.com"}, {"id": 2, "email": "bob@example.com"}, 3]
    for i in range(count):
        text = rng.choice(TEXTS)
        data: dict[str, Any] = {"image": f"s3://bucket/img/{i}.jpg"} if name == "image" else {"text": text}
        if name == "collision":
            data["sentiment"] = "header/" + text
        if i % 5 == 1:
            data["extra"] = {"k": [1, 2.5, "é/"], "n": None}
        if i % 7 == 2:
            data["count"] = i
        annotations = []
        n = 0 if i % 6 == 0 else rng.randint(1, 3)
        for j in range(n):
            ann: dict[str, Any] = {
                "id": 100 * i + j,
                "completed_by": rng.choice(users),
                "result": _result(name, rng, text),
                "was_cancelled": (i % 9 == 4 and j == 0) or (i % 11 == 5),
                "ground_truth": False,
                "created_at": f"2024-03-{(j * 7 + i) % 28 + 1:02d}T10:00:00.{i:06d}Z",
                "updated_at": f"2024-04-01T10:00:{j:02d}Z",
                "lead_time": rng.choice([1.5, 12, None]),
                "task": i + 1,
                "project": 1,
            }
            if i % 8 == 3:
                ann["result"].append(_item("unknown_control", "text", "choices", {"choices": ["x"]}))
            if i % 12 == 10 and j == 0:
                del ann["completed_by"]
            if i % 10 == 7:
                ann["history"] = [{"action": "created", "at": "2024/03/01"}]
            annotations.append(ann)
        task: dict[str, Any] = {
            "id": i + 1,
            "data": data,
            "annotations": annotations,
            "predictions": [],
            "drafts": [],
            "meta": {},
            "created_at": "2024-03-01T09:00:00Z",
            "updated_at": "2024-03-01T09:00:00Z",
            "inner_id": i + 1,
            "project": 1,
        }
        if i % 13 == 6:
            task["agreement"] = 0.5
        tasks.append(task)
    return tasks


@pytest.fixture
def tasks_for() -> Callable[..., list[dict[str, Any]]]:
    """``tasks_for(config_name, count=30, seed=7)``: export-shaped tasks for one of CONFIGS."""
    return make_tasks


@pytest.fixture
def configs() -> dict[str, str]:
    """Config XML by name."""
    return CONFIGS


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
