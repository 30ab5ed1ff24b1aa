"""Exceptions raised by the config engine.

All three derive from :class:`ValueError`, carry their parts as attributes (so callers can point at the
offending line, data key or result item) and read as one sentence that says what is wrong and how to fix it.
"""

from __future__ import annotations


class ConfigError(ValueError):
    """A labeling config (XML) that labelnb cannot use.

    Attributes:
        message: what is wrong and how to fix it.
        line: 1-based line of the offending tag in the XML text, when known.
        column: 1-based column (in characters) of the ``<`` that opens the offending tag, when known.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column is None:
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"

    def __reduce__(self) -> tuple[type[ConfigError], tuple[str, int | None, int | None]]:
        return (type(self), (self.message, self.line, self.column))


class TaskDataError(ValueError):
    """A task's ``data`` lacks a key the config needs, or holds a value of the wrong type.

    Attributes:
        field: the data key (as written in the config after ``$``, e.g. ``"image"`` or ``"meta.text"``).
        message: what is wrong and how to fix it.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"task data key {self.field!r}: {self.message}"

    def __reduce__(self) -> tuple[type[TaskDataError], tuple[str, str]]:
        return (type(self), (self.field, self.message))


class ResultError(ValueError):
    """A result item (region) that does not fit the config.

    Attributes:
        index: position of the offending item in the result list (``None`` when the list itself is wrong).
        field: dotted path of the offending field inside the item, e.g. ``"value.x"`` or ``"from_name"``.
        message: what is wrong and how to fix it.
    """

    def __init__(self, message: str, index: int | None = None, field: str | None = None) -> None:
        self.message = message
        self.index = index
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.index is not None:
            where.append(f"result item {self.index}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        if not where:
            return self.message
        return f"{', '.join(where)}: {self.message}"

    def __reduce__(self) -> tuple[type[ResultError], tuple[str, int | None, str | None]]:
        return (type(self), (self.message, self.index, self.field))
