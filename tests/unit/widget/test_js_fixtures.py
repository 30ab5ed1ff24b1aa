"""js/test/models.generated.ts holds what the kernel sends for the front end's test configs, and is current."""

from __future__ import annotations

from tests.unit.widget.js_fixtures import CONFIGS, TARGET, build, render


def test_the_front_end_fixture_is_current() -> None:
    assert TARGET.read_text() == render(), (
        "js/test/models.generated.ts is out of date: run .venv/bin/python -m tests.unit.widget.js_fixtures"
    )


def test_each_fixture_task_is_a_valid_task_of_its_config() -> None:
    from labelnb.config import LabelConfig

    assert set(build()) == set(CONFIGS)
    for xml, data in CONFIGS.values():
        LabelConfig.from_xml(xml).validate_task(data)
