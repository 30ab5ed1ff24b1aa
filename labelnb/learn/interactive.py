"""Interactive pre-annotation, kernel side: the "auto-annotate" clicks of the widget go to an assistant.

Label Studio's editor sends the regions drawn with a *smart* tool (a key point, a box; each with
``is_positive``) to the ML backend's ``/predict`` as ``context = {"result": [...]}`` and shows what comes back
as editable regions. Here the assistant is Python in the kernel:

* a callable ``assist(task, context)`` returning result items or a prediction dict ``{"result": [...]}``, or
* any object with Label Studio's ``predict(tasks, context=...)`` returning ``[prediction]`` (an ML backend).

Everything from the browser is untrusted: :func:`check_context` rebuilds each clicked item from checked
fields only. Everything from the assistant is checked against the config before it goes to the browser
(:func:`answer_items`). Neither function knows of the widget or the store.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from labelnb.config import LabelConfig, ResultError
from labelnb.config.json_values import check_storable

#: most smart items one request may carry (clicks of one series)
MAX_CONTEXT_ITEMS = 64
#: most result items one answer may hold
MAX_ANSWER_ITEMS = 1_000
#: the tools whose drawn items are sent to the assistant, and the result type each writes
SMART_TOOLS = {
    "KeyPointLabels": "keypointlabels",
    "KeyPoint": "keypoint",
    "RectangleLabels": "rectanglelabels",
    "Rectangle": "rectangle",
}
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SLACK = 1e-6  # percent: float sums such as x + width may pass 100 by a rounding error


class AssistError(ValueError):
    """An assist request or an assistant's answer that does not fit; the message says what to fix."""


AssistCallback = Callable[[dict[str, Any], dict[str, Any]], Any]


@dataclass(frozen=True)
class Assistant:
    """An assistant in one shape: ``ask(task, context)`` gives what the user code returned."""

    ask: Callable[[dict[str, Any], dict[str, Any]], Any]
    name: str


def as_assistant(assist: Any) -> Assistant:
    """Wrap a callable ``assist(task, context)`` or an object with ``predict(tasks, context=...)``."""
    if isinstance(assist, Assistant):
        return assist
    predict = getattr(assist, "predict", None)
    if callable(predict):

        def ask(task: dict[str, Any], context: dict[str, Any]) -> Any:
            return _first_prediction(predict([task], context=context))

        return Assistant(ask, type(assist).__name__)
    if callable(assist):
        return Assistant(assist, getattr(assist, "__name__", type(assist).__name__))
    raise TypeError(
        "assist must be a function assist(task, context) or an object with predict(tasks, context=...), "
        f"not {type(assist).__name__}"
    )


def _first_prediction(answer: Any) -> Any:
    """The one prediction of an ML backend's answer: ``[prediction]``, ``[[prediction, ...]]``, or an object
    with ``predictions`` (label_studio_ml's ModelResponse)."""
    predictions = getattr(answer, "predictions", answer)
    if isinstance(predictions, Mapping) and "results" in predictions:
        predictions = predictions["results"]  # the /predict body
    if isinstance(predictions, (list, tuple)):
        if not predictions:
            return []
        first = predictions[0]
        if isinstance(first, (list, tuple)):  # several predictions for the task: the first
            first = first[0] if first else {"result": []}
        return getattr(first, "model_dump", lambda: first)()
    return predictions


# -- the request --------------------------------------------------------------------------------------


def smart_controls(config: LabelConfig, data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The controls whose drawn items go to the assistant in auto-annotate mode, by name: the key point and
    rectangle tools, and ``Labels`` on texts (a selection), with ``smart`` (Label Studio's default, true)
    or ``smartOnly``."""
    model = config.for_task(data).control_model()
    texts = {o["name"] for o in model["objects"] if o["tag"] == "Text"}
    return {
        c["name"]: c
        for c in model["controls"]
        if (c["tag"] in SMART_TOOLS or (c["tag"] == "Labels" and c["to_name"] and set(c["to_name"]) <= texts))
        and (c.get("smart") or c.get("smart_only"))
    }


def _percent(item: int, value: Mapping[str, Any], key: str) -> float:
    got = value.get(key)
    if isinstance(got, bool) or not isinstance(got, (int, float)) or not math.isfinite(got):
        raise AssistError(f"assist item {item}: value.{key} must be a finite number, not {got!r}")
    if not 0 <= got <= 100 + _SLACK:
        raise AssistError(f"assist item {item}: value.{key} must be a percentage from 0 to 100, not {got!r}")
    return float(got)


def _size(item: int, raw: Mapping[str, Any], key: str) -> int | None:
    got = raw.get(key)
    if got is None:
        return None
    if isinstance(got, bool) or not isinstance(got, int) or not 1 <= got <= 1 << 20:
        raise AssistError(f"assist item {item}: {key} must be a whole number of pixels, not {got!r}")
    return got


def _point_or_box(i: int, value: Mapping[str, Any], rtype: str) -> dict[str, Any]:
    x, y = _percent(i, value, "x"), _percent(i, value, "y")
    clean: dict[str, Any] = {"x": x, "y": y, "width": _percent(i, value, "width")}
    if rtype.startswith("rectangle"):
        clean["height"] = _percent(i, value, "height")
        if x + clean["width"] > 100 + _SLACK or y + clean["height"] > 100 + _SLACK:
            raise AssistError(f"assist item {i}: the box reaches past the image")
        clean["rotation"] = 0
    return clean


def _span(i: int, value: Mapping[str, Any]) -> dict[str, Any]:
    """A selection's offsets (code points) and text; the config's check compares them with the task's text."""
    offsets: list[int] = []
    for key in ("start", "end"):
        got = value.get(key)
        if isinstance(got, bool) or not isinstance(got, int) or got < 0:
            raise AssistError(
                f"assist item {i}: value.{key} must be a whole number of code points, not {got!r}"
            )
        offsets.append(got)
    start, end = offsets
    if end <= start:
        raise AssistError(f"assist item {i}: value.end must come after value.start")
    text = value.get("text")
    if not isinstance(text, str):
        raise AssistError(f"assist item {i}: value.text must be the selected text")
    return {"start": start, "end": end, "text": text}


def check_context(config: LabelConfig, data: Mapping[str, Any], items: Sequence[Any]) -> list[dict[str, Any]]:
    """The smart items of an assist request, rebuilt from checked fields only.

    Each must be a key point or box of a smart control, on an object that control draws on, with finite
    percentages inside the image (or a selection of a text: offsets and text that agree with the task's),
    labels of that control and a boolean ``is_positive``. Raises :class:`AssistError` naming the item and
    field.
    """
    if not isinstance(items, (list, tuple)) or not items:
        raise AssistError("an assist request needs at least one clicked or drawn item")
    if len(items) > MAX_CONTEXT_ITEMS:
        raise AssistError(f"an assist request may carry at most {MAX_CONTEXT_ITEMS} items, got {len(items)}")
    smart = smart_controls(config, data)
    clean: list[dict[str, Any]] = []
    for i, raw in enumerate(items):
        if not isinstance(raw, Mapping):
            raise AssistError(f"assist item {i} is not an object")
        name = raw.get("from_name")
        control = smart.get(name) if isinstance(name, str) else None
        if control is None:
            raise AssistError(
                f"assist item {i}: from_name {name!r} is not a smart key point, rectangle or text labels control; "
                f"smart controls here: {sorted(smart) or 'none'}"
            )
        to_name = raw.get("to_name")
        if to_name not in control["to_name"]:
            raise AssistError(f"assist item {i}: to_name {to_name!r} is not an object {name!r} draws on")
        rtype = SMART_TOOLS.get(control["tag"], "labels")
        if raw.get("type") != rtype:
            raise AssistError(
                f"assist item {i}: type must be {rtype!r} for {name!r}, not {raw.get('type')!r}"
            )
        positive = raw.get("is_positive", True)
        if not isinstance(positive, bool):
            raise AssistError(f"assist item {i}: is_positive must be true or false, not {positive!r}")
        item_id = raw.get("id")
        if not isinstance(item_id, str) or not _ID.match(item_id):
            raise AssistError(f"assist item {i}: id must be a short id of letters, digits, _ and -")
        value = raw.get("value")
        if not isinstance(value, Mapping):
            raise AssistError(f"assist item {i}: value must be an object")
        clean_value = _span(i, value) if rtype == "labels" else _point_or_box(i, value, rtype)
        if rtype.endswith("labels"):
            labels = value.get(rtype)
            if not isinstance(labels, list) or not labels or not all(isinstance(v, str) for v in labels):
                raise AssistError(f"assist item {i}: value.{rtype} must be a list of the control's labels")
            clean_value[rtype] = list(labels)
        item: dict[str, Any] = {
            "id": item_id,
            "from_name": name,
            "to_name": to_name,
            "type": rtype,
            "value": clean_value,
            "is_positive": positive,
        }
        for key in ("original_width", "original_height"):
            size = _size(i, raw, key)
            if size is not None:
                item[key] = size
        if "original_width" in item:
            item["image_rotation"] = 0
        clean.append(item)
    try:
        # labels in the control's set, the object's kind: the config's own rules
        config.validate_result(
            [{k: v for k, v in c.items() if k != "is_positive"} for c in clean], data, draft=True
        )
    except ResultError as exc:
        raise AssistError(f"assist request: {exc}") from exc
    return clean


# -- the answer ---------------------------------------------------------------------------------------


def _plain(value: Any, where: str) -> Any:
    """``value`` as plain JSON types (numpy numbers and arrays from a model become floats, ints, lists)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, float):
        return float(value)  # numpy.float64 is a float: plain it for the comm's JSON
    if isinstance(value, int):
        return int(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise AssistError(f"{where} has a key of type {type(key).__name__}; keys must be text")
            out[key] = _plain(item, f"{where}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{where}[{n}]") for n, item in enumerate(value)]
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist):
        return _plain(tolist(), where)
    raise AssistError(f"{where} is a {type(value).__name__}, which is not JSON")


def answer_items(
    config: LabelConfig, data: Mapping[str, Any], answer: Any, new_id: Callable[[], str]
) -> list[dict[str, Any]]:
    """The result items of an assistant's answer, checked against the config, each marked a prediction.

    ``answer`` is a list of result items, a prediction dict ``{"result": [...]}`` or None (nothing found).
    Items without an id get ``new_id()``. Raises :class:`AssistError` naming the item and field.
    """
    if answer is None:
        return []
    if isinstance(answer, Mapping):
        if "result" not in answer:
            raise AssistError(
                "the assistant returned a dict without 'result'; return result items or {'result': [...]}"
            )
        answer = answer["result"]
    if not isinstance(answer, (list, tuple)):
        raise AssistError(f"the assistant must return a list of result items, not {type(answer).__name__}")
    if len(answer) > MAX_ANSWER_ITEMS:
        raise AssistError(f"the assistant returned {len(answer)} items; at most {MAX_ANSWER_ITEMS} are shown")
    items: list[Any] = _plain(list(answer), "result")
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise AssistError(f"the assistant's result item {n} is not a dict")
    try:
        check_storable(items, "result")
    except ValueError as exc:
        raise AssistError(f"the assistant's answer: {exc}") from exc
    try:
        config.validate_result(items, data, draft=True)
    except ResultError as exc:
        raise AssistError(f"the assistant's answer does not fit the config: {exc}") from exc
    for item in items:
        item.pop("is_positive", None)  # a context marker, not part of a region
        if item.get("type") == "relation":
            # the browser keys regions by text ids
            item["from_id"], item["to_id"] = str(item["from_id"]), str(item["to_id"])
            continue
        item["id"] = str(item["id"]) if "id" in item else new_id()
        item["origin"] = "prediction"
    return items
