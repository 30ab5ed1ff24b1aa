"""Which functions and arguments a job can be resumed from after a restart."""

from __future__ import annotations

import math
from typing import Any

import pytest

from labelnb.jobs import JobError
from labelnb.jobs.names import arguments_json, function_name, load_arguments, resolve_function
from tests.jobs_work import add


class Holder:
    @staticmethod
    def static(ctx: Any) -> None: ...

    def method(self, ctx: Any) -> None: ...


def test_module_level_functions_have_names_others_do_not() -> None:
    def nested(ctx: Any) -> None: ...

    assert function_name(add) == "tests.jobs_work:add"
    assert resolve_function("tests.jobs_work:add", 1) is add
    assert function_name(Holder.static) == f"{__name__}:Holder.static"
    assert function_name(lambda ctx: None) is None
    assert function_name(nested) is None
    assert function_name(Holder().method) is None  # bound: the name finds the function, not this object
    assert function_name(print) == "builtins:print"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (None, "no importable name"),
        ("os.system", "not 'module:qualname'"),
        ("os:system; rm", "not 'module:qualname'"),
        ("no_such_module_xyz:f", "cannot be found"),
        ("__main__:never_defined", "run its cell"),
        ("math:pi", "not a function"),
    ],
)
def test_bad_names_are_refused(name: str | None, message: str) -> None:
    with pytest.raises(JobError, match=message):
        resolve_function(name, 5)


@pytest.mark.parametrize(
    ("args", "kwargs", "kept"),
    [
        ((1, "a", None, [1.5, {"k": True}]), {"x": 2}, True),
        (((1, 2),), {}, False),  # a tuple would come back a list
        ((math.nan,), {}, False),
        ((object(),), {}, False),
        ((2**70,), {}, False),
        (({1: "int key"},), {}, False),
    ],
)
def test_only_arguments_json_gives_back_exactly_are_kept(
    args: tuple[Any, ...], kwargs: dict[str, Any], kept: bool
) -> None:
    text = arguments_json(args, kwargs, 0.5)
    assert (text is not None) is kept
    if text is not None:
        assert load_arguments(text, 1) == (args, kwargs, 0.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "were not JSON-able"),
        ("{not json", "not JSON"),
        ('{"args": {}, "kwargs": {}}', "are not"),
        ('["args"]', "are not"),
        ('{"args": [], "kwargs": {}, "backoff": "soon"}', "backoff"),
    ],
)
def test_stored_arguments_are_checked(text: str | None, message: str) -> None:
    with pytest.raises(JobError, match=message):
        load_arguments(text, 3)
