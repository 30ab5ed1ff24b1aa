"""The one exception of :mod:`labelnb.formats`."""

from __future__ import annotations


class TaskImportError(ValueError):
    """Input that cannot become tasks: a bad file, item, data value, annotation or prediction.

    Attributes:
        message: what is wrong and what to do about it.
        source: the file (or other source) name, when known.
        row: where in the source: the 1-based item number of a JSON list, a DataFrame's 1-based row
            position, or the line number of a CSV/TSV/JSONL/TXT file (a CSV header is line 1, so this is
            the row number a spreadsheet shows).
        field: the offending data key or the path inside the task, e.g. ``"text"`` or
            ``"annotations[0].result[2].value.x"``.

    ``str()`` reads like ``tasks.csv, row 17, field 'text': <message>``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.row = row
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where: list[str] = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.message, self.source, self.row, self.field))


def _rebuild(message: str, source: str | None, row: int | None, field: str | None) -> TaskImportError:
    return TaskImportError(message, source=source, row=row, field=field)
