"""Stored rankings: a strategy's order of the unlabelled tasks, kept as a named queue.

:func:`rank_queue` scores the candidates (the unlabelled tasks, of a selection when one is given) and
writes the order to ``queues`` and ``queue_items`` in one write transaction: position 0 is the highest
score, NaN scores come last, ties go by id. Ranking again under the same name replaces the items and keeps
the queue's id, so sessions already labelling from it get the new order at their next task.

A queue remembers its fingerprint: the strategy's (the model version it ranks by, say), the selection, the
arrays a model supplied, the seed and the project's task count. When nothing of that changed the stored
queue is returned as it is, after a few small reads: that check is all a ``next_task(strategy=...)`` costs
in the common case. Labelling a task changes none of it (``next_task`` passes over labelled tasks), an
import does. Everything per task is a NumPy array, read and written in batches with the driver's cursor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
import pandas as pd
from sqlalchemy import Connection, Integer, String, bindparam, delete, func, insert, select, update

from labelnb.queue.selection import (
    FrameFactory,
    Selection,
    SelectionError,
    check_known,
    select_task_ids,
    selection_digest,
)
from labelnb.queue.strategies import (
    FloatArray,
    IdArray,
    RankContext,
    Sequential,
    Strategy,
    StrategyLike,
    resolve_strategy,
)
from labelnb.store import Store, read_transaction, write_transaction
from labelnb.store import schema as s
from labelnb.store.codec import dumps, loads, now_iso

#: rows per fetchmany and per executemany
BATCH = 50_000
#: SQLite page cache (KiB) while a ranking is written, given back afterwards
SQLITE_CACHE_KIB = 256 * 1024
#: how far class probabilities may stray outside [0, 1] (rounding) before they are refused
PROBABILITY_SLACK = 1e-6


# -- reading columns into arrays ------------------------------------------------------------------


def _cursor(conn: Connection) -> Any:
    """The driver's own cursor, inside the transaction SQLAlchemy began on ``conn``."""
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def _sql(conn: Connection, text: str) -> str:
    return text if conn.dialect.paramstyle == "qmark" else text.replace("?", "%s")


def _columns(conn: Connection, text: str, params: tuple[Any, ...], dtypes: tuple[Any, ...]) -> list[Any]:
    """The result of a query as one array per column (None becomes NaN in float columns)."""
    cursor = _cursor(conn)
    parts: list[list[Any]] = [[] for _ in dtypes]
    try:
        cursor.execute(_sql(conn, text), params)
        while rows := cursor.fetchmany(BATCH):
            for n, column in enumerate(zip(*rows, strict=True)):
                parts[n].append(np.array(column, dtype=dtypes[n]))
    finally:
        cursor.close()
    return [np.concatenate(p) if p else np.zeros(0, dtype=d) for p, d in zip(parts, dtypes, strict=True)]


def _ids(conn: Connection, text: str, params: tuple[Any, ...]) -> IdArray:
    """The one integer column a query gives, ascending.

    On SQLite the ids come back as one text that NumPy parses (``group_concat``): no Python object per
    row, about ten times faster than fetching a million rows.
    """
    if conn.dialect.name != "sqlite":
        (found,) = _columns(conn, text, params, (np.int64,))
        return np.sort(found)
    joined = conn.exec_driver_sql(f"SELECT group_concat(id) FROM ({text})", params).scalar()
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.fromstring(joined, dtype=np.int64, sep=","))


def _tasks(conn: Connection, project_id: int) -> tuple[IdArray, npt.NDArray[np.bool_]]:
    """Every task id of the project, ascending, and whether each is labelled.

    Both halves are read from the covering index ``ix_tasks_queue``, never from the table's rows.
    """
    by_flag = "SELECT id FROM tasks WHERE project_id = ? AND is_labeled = ?"
    open_ids = _ids(conn, by_flag, (project_id, False))
    done_ids = _ids(conn, by_flag, (project_id, True))
    every = np.concatenate([open_ids, done_ids])
    labeled = np.concatenate([np.zeros(len(open_ids), dtype=bool), np.ones(len(done_ids), dtype=bool)])
    order = np.argsort(every, kind="stable")
    return every[order], labeled[order]


# -- what the store says about predictions --------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    """The few small facts a fingerprint needs, read in one transaction."""

    task_count: int
    current_version: str | None  # the project's model_version setting
    newest_prediction: tuple[int, str] | None  # (id, model_version) of the newest stored prediction
    queue: _StoredQueue | None  # the stored queue of the name asked for


_PROJECT_ID = bindparam("project_id", type_=Integer)
_NAME = bindparam("name", type_=String)
_p, _q = s.predictions, s.queues
_newest_prediction = select(_p.c.id).where(_p.c.project_id == _PROJECT_ID).order_by(_p.c.id.desc()).limit(1)
# everything a fingerprint check reads, in one statement built once (it runs on every next_task(strategy=))
_SNAPSHOT = (
    select(
        s.projects.c.task_count,
        s.projects.c.settings,
        _newest_prediction.scalar_subquery().label("newest_id"),
        _newest_prediction.with_only_columns(_p.c.model_version).scalar_subquery().label("newest_version"),
        _q.c.id.label("queue_id"),
        _q.c.fingerprint,
        _q.c.strategy,
    )
    .select_from(s.projects.outerjoin(_q, (_q.c.project_id == s.projects.c.id) & (_q.c.name == _NAME)))
    .where(s.projects.c.id == _PROJECT_ID)
)


@dataclass(frozen=True)
class _StoredQueue:
    id: int
    fingerprint: str
    strategy: str | None


def _snapshot(conn: Connection, project_id: int, name: str) -> _Snapshot:
    row = conn.execute(_SNAPSHOT, {"project_id": project_id, "name": name}).one()
    current = (loads(row.settings) or {}).get("model_version")
    newest = None if row.newest_id is None else (int(row.newest_id), str(row.newest_version))
    queue = None if row.queue_id is None else _StoredQueue(int(row.queue_id), row.fingerprint, row.strategy)
    return _Snapshot(
        task_count=int(row.task_count),
        current_version=current if isinstance(current, str) and current else None,
        newest_prediction=newest,
        queue=queue,
    )


def _queue_row(conn: Connection, project_id: int, name: str) -> _StoredQueue | None:
    row = conn.execute(
        select(_q.c.id, _q.c.fingerprint, _q.c.strategy).where(
            _q.c.project_id == project_id, _q.c.name == name
        )
    ).one_or_none()
    return None if row is None else _StoredQueue(int(row.id), row.fingerprint, row.strategy)


class StorePredictions:
    """The store's predictions as a strategy sees them (:class:`labelnb.queue.strategies.PredictionSource`).

    The default model version is the project's ``model_version`` setting (what a learner makes current once
    all its predictions are stored), else that of the newest prediction.
    """

    def __init__(self, store: Store, snapshot: _Snapshot) -> None:
        self.store = store
        self.snapshot = snapshot

    def current_model_version(self) -> str | None:
        if self.snapshot.current_version is not None:
            return self.snapshot.current_version
        newest = self.snapshot.newest_prediction
        return None if newest is None else newest[1]

    def state(self, model_version: str | None) -> str:
        version = model_version or self.current_model_version()
        if version is None:
            return "no predictions"
        if version == self.snapshot.current_version:
            return f"version={version}"  # a current version is complete: its predictions do not change
        newest = self.snapshot.newest_prediction
        return f"version={version};newest={newest[0] if newest else 0}"

    def scores(self, task_ids: IdArray, model_version: str) -> FloatArray:
        with read_transaction(self.store.engine) as conn:
            owners, scores = _columns(
                conn,
                "SELECT task_id, score FROM predictions WHERE project_id = ? AND model_version = ? ORDER BY id",
                (self.store.project_id, model_version),
                (np.int64, np.float64),
            )
        # the newest prediction of each task: its last row in id order
        last = len(owners) - 1 - np.unique(owners[::-1], return_index=True)[1]
        owners, scores = owners[last], scores[last]
        scores[~np.isfinite(scores)] = np.nan  # an infinite stored score says nothing: as if none
        out = np.full(len(task_ids), np.nan)
        where = np.searchsorted(owners, task_ids)
        found = where < len(owners)
        found[found] = owners[where[found]] == task_ids[found]
        out[found] = scores[where[found]]
        return out


def _task_frame(store: Store) -> Callable[[IdArray], pd.DataFrame]:
    def frame(task_ids: IdArray) -> pd.DataFrame:
        data: list[Any] = []
        with read_transaction(store.engine) as conn:
            cursor = _cursor(conn)
            try:
                cursor.execute(
                    _sql(conn, "SELECT id, data FROM tasks WHERE project_id = ? ORDER BY id"),
                    (store.project_id,),
                )
                while rows := cursor.fetchmany(BATCH):
                    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
                    keep = np.isin(ids, task_ids)
                    data.extend(orjson.loads(rows[n][1]) for n in np.flatnonzero(keep))
            finally:
                cursor.close()
        return pd.DataFrame({"id": task_ids, "data": data})

    return frame


# -- arrays a model supplies ----------------------------------------------------------------------


def _matrix(name: str, value: Any) -> FloatArray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers: {exc}") from exc
    if name == "probabilities" and array.ndim == 1:
        array = array[:, None]  # one column: the probability of the positive class
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, one row per task, not of shape {array.shape}")
    return array


def _first_bad(name: str, rows: Any, ids: IdArray | None, what: str) -> None:
    if rows.any():
        row = int(np.flatnonzero(rows)[0])
        task = f" (task {int(ids[row])})" if ids is not None else ""
        raise ValueError(f"{name}: row {row}{task} {what}; {int(rows.sum())} row(s) in all")


@dataclass
class _Arrays:
    """The per-task arrays of a ranking, checked; rows line up with ``ids``."""

    probabilities: FloatArray | None = None
    embeddings: FloatArray | None = None
    labeled_embeddings: FloatArray | None = None

    @property
    def per_task(self) -> bool:
        return self.probabilities is not None or self.embeddings is not None

    def digest(self, ids: IdArray | None) -> str:
        """Changes when any array, or the ids their rows belong to, does."""
        if not self.per_task and self.labeled_embeddings is None:
            return "none"
        h = hashlib.blake2b(digest_size=16)
        for array in (ids, self.probabilities, self.embeddings, self.labeled_embeddings):
            h.update(
                b"|" if array is None else repr(array.shape).encode() + np.ascontiguousarray(array).tobytes()
            )
        return h.hexdigest()

    def rows(self, keep: npt.NDArray[np.intp]) -> _Arrays:
        return _Arrays(
            None if self.probabilities is None else self.probabilities[keep],
            None if self.embeddings is None else self.embeddings[keep],
            self.labeled_embeddings,
        )


def _checked_arrays(probabilities: Any, embeddings: Any, labeled_embeddings: Any) -> _Arrays:
    arrays = _Arrays()
    if probabilities is not None:
        p = _matrix("probabilities", probabilities)
        nan = np.isnan(p)
        _first_bad(
            "probabilities",
            nan.any(axis=1) & ~nan.all(axis=1),
            None,
            "is partly NaN (all NaN: no prediction)",
        )
        _first_bad("probabilities", np.isinf(p).any(axis=1), None, "holds an infinity")
        with np.errstate(invalid="ignore"):
            outside = (p < -PROBABILITY_SLACK) | (p > 1 + PROBABILITY_SLACK)
        _first_bad("probabilities", outside.any(axis=1), None, "holds a number outside [0, 1]")
        arrays.probabilities = np.clip(p, 0.0, 1.0)
    if embeddings is not None:
        e = _matrix("embeddings", embeddings)
        _first_bad("embeddings", ~np.isfinite(e).all(axis=1), None, "holds NaN or an infinity")
        arrays.embeddings = e
    if labeled_embeddings is not None:
        m = _matrix("labeled_embeddings", labeled_embeddings)
        _first_bad("labeled_embeddings", ~np.isfinite(m).all(axis=1), None, "holds NaN or an infinity")
        if arrays.embeddings is not None and m.shape[1] != arrays.embeddings.shape[1]:
            raise ValueError(
                f"labeled_embeddings have {m.shape[1]} columns and embeddings {arrays.embeddings.shape[1]}; "
                "they must be of the same space"
            )
        arrays.labeled_embeddings = m
    return arrays


def _align(arrays: _Arrays, ids: IdArray) -> None:
    for name in ("probabilities", "embeddings"):
        array = getattr(arrays, name)
        if array is not None and len(array) != len(ids):
            raise ValueError(
                f"{name} has {len(array)} rows, but the ranking is of {len(ids)} tasks: one row per task of "
                "tasks= in its order (without tasks=, per task of the project by id)"
            )


# -- the ranking ----------------------------------------------------------------------------------


def _checked_scores(strategy: Strategy, scores: Any, ids: IdArray) -> FloatArray:
    try:
        out = np.asarray(scores, dtype=np.float64).reshape(-1) if np.ndim(scores) else None
    except (TypeError, ValueError) as exc:
        raise ValueError(f"strategy {strategy.name!r} must give numbers: {exc}") from exc
    if out is None or len(out) != len(ids):
        size = "a single number" if out is None else f"{len(out)} scores"
        raise ValueError(f"strategy {strategy.name!r} gave {size} for {len(ids)} tasks; give one per task")
    bad = np.isinf(out)
    if bad.any():
        task = int(ids[np.flatnonzero(bad)[0]])
        raise ValueError(
            f"strategy {strategy.name!r} gave an infinite score for task {task}; use finite numbers "
            "(NaN puts a task after all scored ones)"
        )
    return out


def ranked_order(task_ids: IdArray, scores: FloatArray) -> npt.NDArray[np.intp]:
    """Indices of ``task_ids`` by descending score, NaN last, ties by ascending id."""
    missing = np.isnan(scores)
    order: npt.NDArray[np.intp] = np.lexsort((task_ids, np.where(missing, 0.0, -scores), missing))
    return order


def _rows(*columns: Any) -> Any:
    """Parameter rows from arrays, in batches (NaN scores become NULL)."""
    size = max(len(column) for column in columns if isinstance(column, np.ndarray))
    for start in range(0, size, BATCH):
        parts = []
        for column in columns:
            if isinstance(column, np.ndarray):
                values = column[start : start + BATCH].tolist()
                if column.dtype.kind == "f":
                    values = [None if v != v else v for v in values]
                parts.append(values)
            else:
                parts.append(repeat(column))
        yield zip(*parts, strict=False)  # the repeated queue id is endless


def _write_items(conn: Connection, queue_id: int, ids: IdArray, scores: FloatArray) -> None:
    """Make the queue's items ``ids`` (in ranked order) with their scores.

    The rows are written in task order: the primary key's index and the foreign key's lookups into tasks
    then go front to back, and only the position index is written out of order. A queue ranked before
    keeps the rows of tasks still in it and has their position and score updated, which costs about a
    third less than deleting and inserting them again.
    """
    by_task = np.argsort(ids, kind="stable")
    new_ids, positions, new_scores = ids[by_task], by_task.astype(np.int64), scores[by_task]
    old_ids = _ids(conn, "SELECT task_id AS id FROM queue_items WHERE queue_id = ?", (queue_id,))
    kept = np.isin(new_ids, old_ids, assume_unique=True)
    gone = old_ids[~np.isin(old_ids, new_ids, assume_unique=True)]
    cursor = _cursor(conn)
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        # the position index takes its rows out of order: with SQLite's default 2 MB page cache a million
        # of them miss it most of the time, about twice as slow
        default_cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        for rows in _rows(queue_id, gone):
            cursor.executemany(_sql(conn, "DELETE FROM queue_items WHERE queue_id = ? AND task_id = ?"), rows)
        update = "UPDATE queue_items SET position = ?, score = ? WHERE queue_id = ? AND task_id = ?"
        for rows in _rows(positions[kept], new_scores[kept], queue_id, new_ids[kept]):
            cursor.executemany(_sql(conn, update), rows)
        insert = "INSERT INTO queue_items (queue_id, task_id, position, score) VALUES (?, ?, ?, ?)"
        for rows in _rows(queue_id, new_ids[~kept], positions[~kept], new_scores[~kept]):
            cursor.executemany(_sql(conn, insert), rows)
    finally:
        if sqlite:
            cursor.execute(f"PRAGMA cache_size = {int(default_cache)}")
        cursor.close()


def _store_queue(
    store: Store, name: str, fingerprint: str, about: Mapping[str, Any], ids: IdArray, scores: FloatArray
) -> int:
    q = s.queues
    stamp = now_iso()
    with write_transaction(store.engine) as conn:
        row = _queue_row(conn, store.project_id, name)
        if row is not None and row.fingerprint == fingerprint:
            return int(row.id)  # another process ranked it the same meanwhile
        values = {
            "fingerprint": fingerprint,
            "strategy": dumps(dict(about)),
            "size": len(ids),
            "updated_at": stamp,
        }
        if row is None:
            key = conn.execute(
                insert(q).values(project_id=store.project_id, name=name, created_at=stamp, **values)
            ).inserted_primary_key
            assert key is not None
            queue_id = int(key[0])
        else:
            queue_id = int(row.id)
            conn.execute(update(q).where(q.c.id == queue_id).values(**values))
        _write_items(conn, queue_id, ids, scores)
    return queue_id


def _ranked(
    store: Store,
    name: str,
    strategy: Strategy,
    selection: IdArray | None,
    arrays: _Arrays,
    seed: int,
    keep_array_ranking: bool,
) -> int:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"a queue needs a non-empty name, not {name!r}")
    with read_transaction(store.engine) as conn:
        snapshot = _snapshot(conn, store.project_id, name)
    stored = snapshot.queue
    if keep_array_ranking and stored is not None:
        about = loads(stored.strategy) or {}
        # a model's arrays cannot be read again here: their ranking stands until the project gets new tasks
        if about.get("arrays") and about.get("task_count") == snapshot.task_count:
            return int(stored.id)
    if arrays.per_task and selection is not None and len(np.unique(selection)) != len(selection):
        values, counts = np.unique(selection, return_counts=True)
        raise SelectionError(
            f"tasks= names task(s) {values[counts > 1][:10].tolist()} more than once; with per-task arrays "
            "each task needs exactly one row"
        )

    loaded: dict[str, Any] = {}

    def candidates() -> IdArray:
        """The unlabelled tasks of the selection, ascending; the arrays' rows follow them."""
        if "ids" not in loaded:
            with read_transaction(store.engine) as conn:
                every, labeled = _tasks(conn, store.project_id)
            rows = every if selection is None else selection
            _align(arrays, rows)
            order = np.argsort(rows, kind="stable")
            chosen = rows[order]
            if selection is not None:
                check_known(chosen, every)
                if not arrays.per_task:
                    order, chosen = order[np.unique(chosen, return_index=True)[1]], np.unique(chosen)
            keep = ~labeled[np.searchsorted(every, chosen)]
            loaded["ids"] = chosen[keep]
            loaded["arrays"] = arrays.rows(order[keep])
        ids: IdArray = loaded["ids"]
        return ids

    if arrays.per_task:
        candidates()  # the arrays' rows must be known before the strategy sees them
        arrays_now: _Arrays = loaded["arrays"]
    else:
        arrays_now = arrays
    context = RankContext(
        candidates,
        probabilities=arrays_now.probabilities,
        embeddings=arrays_now.embeddings,
        labeled_embeddings=arrays_now.labeled_embeddings,
        seed=seed,
        predictions=StorePredictions(store, snapshot),
        frame=_task_frame(store),
    )
    parts = {
        "name": strategy.name,
        "strategy": strategy.fingerprint(context),
        "selection": None if selection is None else selection_digest(selection),
        "arrays": arrays.digest(selection),
        "seed": seed,
        "task_count": snapshot.task_count,
    }
    fingerprint = hashlib.blake2b(dumps(parts).encode(), digest_size=16).hexdigest()
    if stored is not None and stored.fingerprint == fingerprint:
        return int(stored.id)
    ids = context.task_ids
    scores = _checked_scores(strategy, strategy.scores(context), ids)
    order = ranked_order(ids, scores)
    about = {**parts, "arrays": arrays.per_task, "repr": repr(strategy)}
    return _store_queue(store, name, fingerprint, about, ids[order], scores[order])


def _seed(seed: Any) -> int:
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool):
        raise TypeError(f"seed must be a whole number, not {seed!r}")
    return int(seed)


def rank_queue(
    store: Store,
    name: str,
    strategy: StrategyLike,
    *,
    task_ids: Selection | None = None,
    probabilities: npt.ArrayLike | None = None,
    embeddings: npt.ArrayLike | None = None,
    labeled_embeddings: npt.ArrayLike | None = None,
    seed: int = 0,
) -> int:
    """Rank the unlabelled tasks (of ``task_ids`` when given) by ``strategy`` into the queue ``name``;
    its id.

    ``probabilities`` (tasks x classes) and ``embeddings`` (tasks x d) have one row per task of
    ``task_ids`` in the order given, or without ``task_ids`` one per task of the project by id;
    ``labeled_embeddings`` (m x d) are those of labelled tasks, for diversity. When the fingerprint is the
    stored queue's, the queue is returned unchanged; else its items are replaced in one transaction and
    it keeps its id. Unknown task ids, bad arrays and bad scores raise before anything is written.
    """
    resolved = resolve_strategy(strategy)
    selection = None if task_ids is None else select_task_ids(task_ids)
    arrays = _checked_arrays(probabilities, embeddings, labeled_embeddings)
    return _ranked(store, name, resolved, selection, arrays, _seed(seed), keep_array_ranking=False)


def queue_name(strategy: Strategy, selection: IdArray | None = None) -> str:
    """The name of the stored queue a strategy (and selection) label from: the same strategy and set of
    tasks always name the same queue, whatever model version it ranks by."""
    return strategy.name if selection is None else f"{strategy.name} [tasks {selection_digest(selection)}]"


def rank(
    store: Store,
    strategy: StrategyLike,
    tasks: Selection | None = None,
    *,
    frame_factory: FrameFactory | None = None,
    probabilities: npt.ArrayLike | None = None,
    embeddings: npt.ArrayLike | None = None,
    labeled_embeddings: npt.ArrayLike | None = None,
    seed: int = 0,
) -> int:
    """:func:`rank_queue` into the queue sessions of the same strategy and selection label from
    (:func:`queue_name`); ``tasks`` is any selection :func:`labelnb.queue.selection.select_task_ids` reads."""
    resolved = resolve_strategy(strategy)
    selection = None if tasks is None else select_task_ids(tasks, frame_factory)
    arrays = _checked_arrays(probabilities, embeddings, labeled_embeddings)
    name = queue_name(resolved, selection)
    return _ranked(store, name, resolved, selection, arrays, _seed(seed), keep_array_ranking=False)


def model_ranker(
    strategy: StrategyLike = "uncertainty", tasks: Selection | None = None
) -> Callable[[Store, npt.ArrayLike, npt.ArrayLike], int]:
    """A function ``(store, task_ids, probabilities) -> queue id`` for a model in the loop
    (``labelnb.learn.loop.retrain(..., rank=...)``): it ranks the tasks it was given by ``strategy`` on
    their class probabilities into the queue that sessions of that strategy (and selection ``tasks``, as
    task ids) label from, so they get the new order at their next task.
    """
    resolved = resolve_strategy(strategy)
    selection = None if tasks is None else select_task_ids(tasks)

    def rank_by_model(store: Store, task_ids: npt.ArrayLike, probabilities: npt.ArrayLike) -> int:
        ids: IdArray = np.asarray(task_ids, dtype=np.int64).reshape(-1)
        rows: FloatArray = np.asarray(probabilities, dtype=np.float64)
        if selection is not None:
            inside = np.isin(ids, selection)
            ids, rows = ids[inside], rows[inside]
        name = queue_name(resolved, selection)
        if len(ids) == 0:  # nothing left to rank: an empty queue, not "every task of the project"
            return _ranked(store, name, resolved, np.zeros(0, dtype=np.int64), _Arrays(), 0, False)
        return rank_queue(store, name, resolved, task_ids=ids, probabilities=rows)

    return rank_by_model


def queue_for(
    store: Store,
    strategy: StrategyLike | None = None,
    tasks: Selection | None = None,
    *,
    frame_factory: FrameFactory | None = None,
) -> int | None:
    """The stored queue to label from for a strategy and/or selection, built or brought up to date;
    None when neither is given, or for all tasks in id order (the default queue needs no stored one).

    A queue ranked from a model's arrays (:func:`rank` with probabilities or embeddings) is kept as it
    is until the project gets new tasks, since the arrays cannot be computed here.
    """
    if strategy is None and tasks is None:
        return None
    resolved = resolve_strategy("sequential" if strategy is None else strategy)
    selection = None if tasks is None else select_task_ids(tasks, frame_factory)
    if selection is None and isinstance(resolved, Sequential):
        return None
    name = queue_name(resolved, selection)
    return _ranked(store, name, resolved, selection, _Arrays(), 0, keep_array_ranking=True)


_QUEUE_ID = bindparam("queue_id", type_=Integer)
_FIRST_OPEN_POSITION = (
    select(s.queue_items.c.position)
    .select_from(s.queue_items.join(s.tasks, s.tasks.c.id == s.queue_items.c.task_id))
    .where(s.queue_items.c.queue_id == _QUEUE_ID, s.tasks.c.is_labeled.is_(False))
    .order_by(s.queue_items.c.position)
    .limit(1)
    .scalar_subquery()
)
_LAST_POSITION = (
    select(func.max(s.queue_items.c.position)).where(s.queue_items.c.queue_id == _QUEUE_ID).scalar_subquery()
)
_DROP_LABELLED_HEAD = delete(s.queue_items).where(
    s.queue_items.c.queue_id == _QUEUE_ID,
    s.queue_items.c.position < func.coalesce(_FIRST_OPEN_POSITION, _LAST_POSITION + 1),
)


def drop_labelled_head(conn: Connection, queue_id: int) -> int:
    """Delete the items before the first unlabelled task of a stored queue, inside ``conn``'s write
    transaction; how many.

    ``next_task`` passes over labelled tasks, but in a stored queue it has to look each one up: without
    this, every task labelled since the ranking would make each later ``next_task`` slower. Call it
    where tasks are leased from the queue. A task that becomes unlabelled again (its overlap raised)
    comes back with the next :func:`rank_queue`.
    """
    return int(conn.execute(_DROP_LABELLED_HEAD, {"queue_id": queue_id}).rowcount)


def session_queue(
    store: Store,
    strategy: StrategyLike | None = None,
    tasks: Selection | None = None,
    *,
    frame_factory: FrameFactory | None = None,
) -> tuple[int | None, list[Callable[[int, int], object]]]:
    """:func:`queue_for` for a labeling session, and what to call after each of its answers (called with the task and annotation ids).

    The selection is resolved once (a query is not run again per answer); after an answer the queue is
    brought up to date (a cheap check, a ranking when a new model version became current), so a widget
    gets a new model's order at its next task without anyone calling :func:`rank`.
    """
    selection = None if tasks is None else select_task_ids(tasks, frame_factory)
    queue_id = queue_for(store, strategy, selection)
    if queue_id is None:
        return None, []

    def refresh(_task_id: int, _annotation_id: int) -> object:
        return queue_for(store, strategy, selection)

    return queue_id, [refresh]


def queue_task_ids(store: Store, queue_id: int) -> IdArray:
    """The tasks of a stored queue in its order (labelled ones too: ``next_task`` passes over them)."""
    with read_transaction(store.engine) as conn:
        (ids,) = _columns(
            conn,
            "SELECT task_id FROM queue_items WHERE queue_id = ? ORDER BY position",
            (queue_id,),
            (np.int64,),
        )
    result: IdArray = ids
    return result
