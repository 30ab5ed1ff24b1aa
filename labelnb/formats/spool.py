"""Temporary-file spools, so that writers of one-document formats (COCO's JSON) never hold the project.

A writer adds records as tasks stream through, then copies each spool into its output in turn; only the
spool's file grows with the project.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from typing import IO, Any

import orjson


class JsonArraySpool:
    """The items of a JSON array written to a temporary file as they come, copied out at the end.

    Items are indented as ``json.dump(..., indent=2)`` would put them inside a top-level object.
    """

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by copy_to or close
        self.count = 0

    def add(self, record: Mapping[str, Any]) -> None:
        """Append one item."""
        self.file.write((b",\n" if self.count else b"\n") + orjson.dumps(record, option=orjson.OPT_INDENT_2))
        self.count += 1

    def copy_to(self, out: IO[bytes]) -> None:
        """Write the items (comma-separated, without the brackets) to ``out`` and close the spool."""
        self.file.seek(0)
        while chunk := self.file.read(1 << 20):
            out.write(chunk)
        self.file.close()

    def close(self) -> None:
        """Drop the spool without copying it (after a failed export)."""
        self.file.close()
