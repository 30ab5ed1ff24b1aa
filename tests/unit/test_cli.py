"""The ``labelnb`` command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from labelnb.cli import main

CONFIG = '<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="x"/></Choices></View>'


def test_init_import_export_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.xml").write_text(CONFIG)
    (tmp_path / "tasks.csv").write_text("text\nhello\nworld\n")
    project = tmp_path / "proj"
    assert main(["init", str(project), "--config", str(tmp_path / "config.xml")]) == 0
    assert main(["import", str(project), str(tmp_path / "tasks.csv"), "--user", "ann"]) == 0
    assert "2 tasks" in capsys.readouterr().out
    assert main(["export", str(project), "json", str(tmp_path / "out.json")]) == 0
    exported = json.loads((tmp_path / "out.json").read_text())
    assert [t["data"]["text"] for t in exported] == ["hello", "world"]
    capsys.readouterr()
    assert main(["stats", str(project)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["tasks"] == 2
    assert stats["labeled"] == 0


def test_errors_are_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.xml").write_text("<View><Choices name='c' toName='t'/></View>")
    assert main(["init", str(tmp_path / "p"), "--config", str(tmp_path / "bad.xml")]) == 1
    assert "labelnb init:" in capsys.readouterr().err
    assert main(["stats", str(tmp_path / "missing")]) == 1
    assert "no labelnb project" in capsys.readouterr().err


def test_the_console_script_is_installed(tmp_path: Path) -> None:
    labelnb = Path(sys.executable).parent / "labelnb"
    done = subprocess.run([str(labelnb), "--help"], capture_output=True, text=True, check=True)
    assert "init" in done.stdout
    assert "export" in done.stdout


def test_export_takes_any_format_name_options_and_fsspec_urls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import fsspec

    (tmp_path / "config.xml").write_text(CONFIG)
    (tmp_path / "tasks.csv").write_text("text\nhello\n")
    project = str(tmp_path / "proj")
    main(["init", project, "--config", str(tmp_path / "config.xml")])
    main(["import", project, str(tmp_path / "tasks.csv")])
    assert main(["export", project, "JSON_MIN", "memory://cli/out.json"]) == 0
    with fsspec.open("memory://cli/out.json", "rb") as fh:
        assert [r["text"] for r in json.loads(fh.read())] == ["hello"]
    capsys.readouterr()
    assert main(["export", project, "csv", str(tmp_path / "o.csv"), "--option", "pretty=true"]) == 1
    assert "unknown option(s) pretty" in capsys.readouterr().err
    assert main(["export", project, "csv", str(tmp_path / "o.csv"), "--option", "novalue"]) == 1
    assert "is not KEY=VALUE" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_export_lists_every_registered_format(capsys: pytest.CaptureFixture[str]) -> None:
    from labelnb.formats.catalog import FORMATS

    with pytest.raises(SystemExit):
        main(["export", "p", "xlsx", "out"])
    err = capsys.readouterr().err
    for name in FORMATS:
        assert name in err


def test_import_a_yolo_folder_and_a_coco_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    from labelnb.formats import yolo_config

    root = tmp_path / "yolo"
    (root / "images").mkdir(parents=True)
    (root / "labels").mkdir()
    (root / "classes.txt").write_text("cat\n")
    Image.new("RGB", (20, 10)).save(root / "images" / "a.png")
    (root / "labels" / "a.txt").write_text("0 0.5 0.5 0.5 0.5\n")
    (tmp_path / "config.xml").write_text(yolo_config(str(root)))
    project = str(tmp_path / "proj")
    main(["init", project, "--config", str(tmp_path / "config.xml")])
    assert main(["import", project, str(root), "--format", "yolo", "--predictions", "v1"]) == 0
    assert "1 tasks, 0 annotations and 1 predictions imported" in capsys.readouterr().out
    coco = {
        "images": [{"id": 1, "file_name": "b.png", "width": 20, "height": 10}],
        "categories": [{"id": 1, "name": "cat"}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5]}],
    }
    (tmp_path / "coco.json").write_text(json.dumps(coco))
    assert (
        main(["import", project, str(tmp_path / "coco.json"), "--format", "coco", "--image-root", "s3://b/i"])
        == 0
    )
    assert "1 tasks, 1 annotations" in capsys.readouterr().out
    coco["annotations"][0]["category_id"] = 5
    (tmp_path / "coco.json").write_text(json.dumps(coco))
    assert main(["import", project, str(tmp_path / "coco.json"), "--format", "coco"]) == 1
    assert "coco.json, field 'annotations[0].category_id': category_id 5" in capsys.readouterr().err


IMAGE_CONFIG = '<View><Image name="image" value="$image"/><Choices name="c" toName="image"><Choice value="x"/></Choices></View>'


def test_storage_add_sync_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.xml").write_text(IMAGE_CONFIG)
    images = tmp_path / "images"
    (images / "sub").mkdir(parents=True)
    for key in ("a.png", "b.png", "skip.txt", "sub/c.png"):
        (images / key).write_bytes(b"\x89PNG")
    project = str(tmp_path / "proj")
    assert main(["init", project, "--config", str(tmp_path / "config.xml")]) == 0
    capsys.readouterr()
    assert (
        main(
            ["storage", "add", project, "imgs", str(images), "--regex", r".*\.png$", "--recursive", "--sync"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"added source storage 'imgs' at file://{images}/" in out
    assert "3 listed, 3 new (3 tasks)" in out
    (images / "b.png").unlink()
    (images / "d.png").write_bytes(b"\x89PNG")
    assert main(["storage", "sync", project, "imgs"]) == 0
    out = capsys.readouterr().out
    assert "1 new (1 tasks)" in out
    assert "vanished: b.png" in out
    assert main(["storage", "add", project, "out", str(tmp_path / "out"), "--target"]) == 0
    assert main(["storage", "list", project]) == 0
    listing = capsys.readouterr().out
    assert "imgs" in listing
    assert "target" in listing
    from labelnb import Project

    answer = {"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["x"]}}
    opened = Project.open(project)
    opened.submit(2, [answer], user="ann@example.org")
    opened.runner.shutdown()  # the push job ends before the full sync runs
    assert main(["storage", "sync", project, "out"]) == 0
    assert "out: 1 tasks written" in capsys.readouterr().out
    assert json.loads((tmp_path / "out" / "2.json").read_text())["id"] == 2
    # a bad storage is one clear line and nothing is stored
    assert main(["storage", "add", project, "bad", "s3://user:hunter22secret@bucket/"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("labelnb storage: ")
    assert "hunter22secret" not in err
    assert main(["storage", "sync", project, "bad"]) == 1
    assert "no storage called 'bad'" in capsys.readouterr().err


def test_a_team_project_asks_who_acts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import labelnb as lnb

    project = lnb.Project.create(tmp_path / "team", CONFIG, user="lead")
    project.import_tasks([{"text": "a"}])
    project.add_member("ann", "annotator")
    out = tmp_path / "out.json"
    assert main(["export", str(tmp_path / "team"), "json", str(out), "--user", "ann"]) == 1
    assert "ann is an annotator in project 'team' and may not export" in capsys.readouterr().err
    assert not out.exists()
    assert main(["export", str(tmp_path / "team"), "json", str(out), "--user", "lead"]) == 0
    assert json.loads(out.read_text())[0]["data"] == {"text": "a"}
    assert main(["stats", str(tmp_path / "team"), "--user", "ann"]) == 1
