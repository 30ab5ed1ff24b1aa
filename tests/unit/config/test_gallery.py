"""Every template of Label Studio's own gallery parses.

The ``label-studio`` wheel on PyPI ships the gallery as ``label_studio/annotation_templates/<group>/<name>/
config.yml`` (YAML with at least ``title`` and ``config``, the XML). The wheel is fetched once with pip into
``.cache/label-studio/`` at the repository root and read straight out of the zip afterwards. A failed download
fails the test: it is never skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml

from labelnb.config import LabelConfig

#: The Label Studio release whose gallery is checked (the compatibility reference describes 1.22).
LABEL_STUDIO_VERSION = "1.22.0"
CACHE_DIR = Path(__file__).resolve().parents[3] / ".cache" / "label-studio"
WHEEL = CACHE_DIR / f"label_studio-{LABEL_STUDIO_VERSION}-py3-none-any.whl"
TEMPLATE = re.compile(r"^label_studio/annotation_templates/(?P<path>.+)/config\.yml$")


def _download() -> Path:
    """The cached wheel, fetched with pip on first use (into a scratch folder, then moved into place)."""
    if WHEEL.is_file() and zipfile.is_zipfile(WHEEL):
        return WHEEL
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="download-", dir=CACHE_DIR))
    try:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            f"label-studio=={LABEL_STUDIO_VERSION}",
            "-d",
            str(scratch),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=540, check=False)
        got = scratch / WHEEL.name
        if done.returncode != 0 or not zipfile.is_zipfile(got):
            pytest.fail(
                f"could not download label-studio=={LABEL_STUDIO_VERSION} with pip (exit {done.returncode}):\n"
                f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}",
                pytrace=False,
            )
        got.replace(WHEEL)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return WHEEL


@pytest.fixture(scope="module")
def gallery() -> dict[str, dict[str, object]]:
    """Template path (``<group>/<name>``) -> its parsed ``config.yml``, for every template in the wheel."""
    templates: dict[str, dict[str, object]] = {}
    with zipfile.ZipFile(_download()) as wheel:
        for entry in sorted(wheel.namelist()):
            match = TEMPLATE.match(entry)
            if match is None:
                continue
            doc = yaml.safe_load(wheel.read(entry).decode("utf-8"))
            assert isinstance(doc, dict), f"{entry} is not a YAML mapping"
            templates[match["path"]] = doc
    return templates


def test_gallery_is_read_whole(gallery: dict[str, dict[str, object]]) -> None:
    assert len(gallery) > 50, f"only {len(gallery)} templates found in {WHEEL.name}"
    lacking = [path for path, doc in gallery.items() if not doc.get("title") or not doc.get("config")]
    assert lacking == [], f"templates without title or config: {lacking}"


def test_every_gallery_template_parses(gallery: dict[str, dict[str, object]]) -> None:
    failures: list[str] = []
    for path, doc in gallery.items():
        config = doc.get("config")
        try:
            assert isinstance(config, str), f"config is {type(config).__name__}, not XML text"
            LabelConfig.from_xml(config)
        except Exception as exc:  # every failure is reported, by template
            failures.append(f"{path}: {type(exc).__name__}: {exc}")
    assert not failures, f"{len(failures)} of {len(gallery)} gallery templates fail to parse:\n" + "\n".join(
        failures
    )


#: Label Studio's export formats labelnb writes (the SDK's CSV_OLD and DOCLANG are not among them)
WRITTEN_FORMATS = (
    "json", "json_min", "csv", "tsv", "conll2003", "coco", "coco_with_images", "yolo", "yolo_with_images",
    "yolo_obb", "yolo_obb_with_images", "voc", "brush_to_numpy", "brush_to_png", "brush_to_coco",
    "asr_manifest",
)  # fmt: skip


#: configs the gallery lacks, for the offer rules' corners
EDGE_CONFIGS = {
    "keypoints only": '<View><Image name="i" value="$i"/><KeyPointLabels name="k" toName="i">'
    '<Label value="eye"/></KeyPointLabels></View>',
    "keypoints in boxes": '<View><Image name="i" value="$i"/><KeyPointLabels name="k" toName="i">'
    '<Label value="eye"/></KeyPointLabels><RectangleLabels name="r" toName="i"><Label value="face"/>'
    "</RectangleLabels></View>",
    "bare tools": '<View><Image name="i" value="$i"/><Rectangle name="r" toName="i"/><Polygon name="p" '
    'toName="i"/><Labels name="l" toName="i"><Label value="a"/></Labels></View>',
    "brush tool": '<View><Image name="i" value="$i"/><Brush name="b" toName="i"/><Labels name="l" '
    'toName="i"><Label value="a"/></Labels></View>',
    "multi-image": '<View><Image name="i" valueList="$images"/><RectangleLabels name="r" toName="i">'
    '<Label value="a"/></RectangleLabels></View>',
    "two data keys": '<View><Image name="i" value="$i"/><Text name="t" value="$t"/><RectangleLabels '
    'name="r" toName="i"><Label value="a"/></RectangleLabels></View>',
    "audio transcript": '<View><Audio name="a" value="$a"/><TextArea name="t" toName="a"/></View>',
    "text url": '<View><Text name="t" value="$t" valueType="url"/><Labels name="l" toName="t">'
    '<Label value="a"/></Labels></View>',
    "video timeline": '<View><Video name="v" value="$v"/><TimelineLabels name="tl" toName="v">'
    '<Label value="a"/></TimelineLabels></View>',
    "video boxes": '<View><Video name="v" value="$v"/><VideoRectangle name="b" toName="v"/><Labels '
    'name="l" toName="v"><Label value="a"/></Labels></View>',
}


#: where labelnb offers less on purpose: the converter's own config reading drops ``valueType`` (its rule
#: for URL texts never fires), so it offers CoNLL for a text it would tokenize as the URL itself
NOT_OFFERED = {"text url": {"conll2003"}}


def test_every_template_offers_the_formats_label_studio_offers(
    gallery: dict[str, dict[str, object]], tmp_path: Path
) -> None:
    from label_studio_sdk.converter import Converter

    from labelnb.formats import catalog

    configs = {path: str(doc["config"]) for path, doc in gallery.items()} | EDGE_CONFIGS
    compared = 0
    for path, xml in configs.items():
        theirs = {name.lower() for name in Converter(xml, str(tmp_path)).supported_formats}
        ours = catalog.offered_by_rules(LabelConfig.from_xml(xml))
        assert set(ours) == (theirs & set(WRITTEN_FORMATS)) - NOT_OFFERED.get(path, set()), path
        compared += 1
    assert compared == len(gallery) + len(EDGE_CONFIGS)
