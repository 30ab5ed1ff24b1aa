"""The exceptions of :mod:`labelnb.formats`: tasks that cannot be imported, predictions that cannot be added."""

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


class PredictionError(ValueError):
    """A prediction that cannot be added to a task (from a list, a frame or a model's answer).

    Attributes:
        message: what is wrong and what to do about it.
        task: the task id the prediction is for, when known.
        index: the 0-based position of the prediction in its input (the list, the frame's rows, or the
            predictions of one backend answer), when known.
        field: the offending place inside the prediction, e.g. ``"score"`` or ``"result[0].from_name"``.
        source: where the predictions came from (a backend's URL or name), when known.

    ``str()`` reads like ``http://ml:9090, task 12, prediction 3, field 'score': <message>``.
    """

    def __init__(
        self,
        message: str,
        *,
        task: int | None = None,
        index: int | None = None,
        field: str | None = None,
        source: str | None = None,
    ) -> None:
        self.message = message
        self.task = task
        self.index = index
        self.field = field
        self.source = source
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where: list[str] = []
        if self.source:
            where.append(self.source)
        if self.task is not None:
            where.append(f"task {self.task}")
        if self.index is not None:
            where.append(f"prediction {self.index}")
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_prediction, (self.message, self.task, self.index, self.field, self.source))


def _rebuild_prediction(
    message: str, task: int | None, index: int | None, field: str | None, source: str | None
) -> PredictionError:
    return PredictionError(message, task=task, index=index, field=field, source=source)
