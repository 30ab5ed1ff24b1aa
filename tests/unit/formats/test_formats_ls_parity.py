"""json_min, csv and tsv exports compared with Label Studio's own converter on the same tasks."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk.converter import Converter

from labelnb.config import LabelConfig
from labelnb.formats import export_text, json_min_records, write_csv, write_json_min, write_tsv

Tasks = list[dict[str, Any]]


def label_studio(xml: str, tasks: Tasks, fmt: str, tmp_path: Path) -> bytes:
    """What Label Studio's converter writes for ``tasks`` in ``fmt``."""
    source = tmp_path / "export.json"
    source.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / f"ls_{fmt.lower()}"
    converter = Converter(config=xml, project_dir=None, download_resources=False)
    converter.convert(str(source), str(out), fmt, is_dir=False)
    return (out / ("result.json" if fmt == "JSON_MIN" else "result.csv")).read_bytes()


def test_json_min_equals_label_studio(
    config_name: str, configs: dict[str, str], tasks_for: Callable[..., Tasks], tmp_path: Path
) -> None:
    xml = configs[config_name]
    tasks = tasks_for(config_name)
    expected = json.loads(label_studio(xml, tasks, "JSON_MIN", tmp_path))
    config = LabelConfig.from_xml(xml)
    assert list(json_min_records(tasks, config)) == expected
    written = tmp_path / "mine.json"
    assert write_json_min(tasks, config, written) == len(expected)
    assert json.loads(written.read_bytes()) == expected


@pytest.mark.parametrize(("fmt", "writer"), [("CSV", write_csv), ("TSV", write_tsv)])
def test_csv_and_tsv_bytes_equal_label_studio(
    config_name: str,
    configs: dict[str, str],
    tasks_for: Callable[..., Tasks],
    tmp_path: Path,
    fmt: str,
    writer: Callable[..., int],
) -> None:
    xml = configs[config_name]
    tasks = tasks_for(config_name, seed=11)
    expected = label_studio(xml, tasks, fmt, tmp_path)
    mine = tmp_path / "mine.csv"
    rows = writer(tasks, LabelConfig.from_xml(xml), mine)
    assert mine.read_bytes() == expected
    assert rows == expected.count(b"\r\n") - 1  # no cell holds "\r\n"


def test_csv_to_binary_and_text_streams_equal_file(
    configs: dict[str, str], tasks_for: Callable[..., Tasks], tmp_path: Path
) -> None:
    xml = configs["collision"]
    tasks = tasks_for("collision")
    expected = label_studio(xml, tasks, "CSV", tmp_path)
    config = LabelConfig.from_xml(xml)
    binary = io.BytesIO()
    write_csv(tasks, config, binary)
    assert binary.getvalue() == expected
    text = io.StringIO(newline="")
    write_csv(iter(tasks), config, text)
    assert text.getvalue().encode("utf-8") == expected
    assert export_text("csv", tasks, config).encode("utf-8") == expected


def test_collision_renames_data_key_in_csv_only(
    configs: dict[str, str], tasks_for: Callable[..., Tasks]
) -> None:
    config = LabelConfig.from_xml(configs["collision"])
    tasks = tasks_for("collision")
    header = export_text("csv", tasks, config).split("\r\n", 1)[0]
    assert '"_data_sentiment"' in header.split(",")
    assert '"sentiment"' in header.split(",")
    # json_min keeps Label Studio's behaviour: the control's answer replaces the data value
    record = next(r for r in json_min_records(tasks, config) if r["annotation_id"] is not None)
    assert record["sentiment"] in ("pos", "neg")


def test_edge_cases_fixture_equals_label_studio(fixtures_dir: Path, tmp_path: Path) -> None:
    spec = json.loads((fixtures_dir / "edge_export.json").read_text(encoding="utf-8"))
    xml, tasks = spec["config"], spec["tasks"]
    config = LabelConfig.from_xml(xml)
    assert list(json_min_records(tasks, config)) == json.loads(label_studio(xml, tasks, "JSON_MIN", tmp_path))
    mine = tmp_path / "mine.csv"
    write_csv(tasks, config, mine)
    assert mine.read_bytes() == label_studio(xml, tasks, "CSV", tmp_path)
