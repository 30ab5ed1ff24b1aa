"""The ``labelnb`` command: make a project, import tasks, connect storages, export results, show counts,
copy a project to another store."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from labelnb.config import ConfigError
from labelnb.formats.catalog import FORMATS
from labelnb.formats.errors import TaskImportError
from labelnb.formats.writing import ExportDataError
from labelnb.project import Project
from labelnb.store import StoreError
from labelnb.store.copy import copy_store, shown_location


def _add_user(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--user", help="who acts: a member of a team project (default: JUPYTERHUB_USER or the system user)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="labelnb", description="Label Studio-compatible labeling projects.")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create a project folder from a labeling config (XML)")
    init.add_argument("path", help="project folder (created) or store URL")
    init.add_argument("--config", required=True, help="file holding the labeling config XML")
    init.add_argument("--title", help="project title (default: the folder's name)")

    load = commands.add_parser(
        "import", help="import tasks from .json, .jsonl, .csv, .tsv or .txt, a COCO file or a YOLO folder"
    )
    load.add_argument("path", help="project folder or store URL")
    load.add_argument(
        "file", help="file with tasks, a COCO JSON file or a YOLO folder (paths or fsspec URLs)"
    )
    _add_user(load)
    load.add_argument(
        "--format",
        choices=("tasks", "coco", "yolo"),
        default="tasks",
        help="what FILE is: Label Studio tasks (default), a COCO JSON file or a YOLO folder",
    )
    load.add_argument("--image-root", help="COCO/YOLO: folder or URL prefix of the images")
    load.add_argument(
        "--predictions",
        metavar="MODEL_VERSION",
        help="COCO/YOLO: import the objects as predictions of this model version",
    )

    dump = commands.add_parser(
        "export",
        help="export tasks and annotations in any of Label Studio's formats",
        description="Credentials for an fsspec URL come from fsspec's configuration and the environment "
        "(AWS_ACCESS_KEY_ID..., GOOGLE_APPLICATION_CREDENTIALS, AZURE_STORAGE_CONNECTION_STRING).",
    )
    dump.add_argument("path", help="project folder or store URL")
    dump.add_argument("format", type=str.lower, choices=FORMATS, help="export format (any case)")
    dump.add_argument("out", help="file, folder or fsspec URL (s3://bucket/out/) to write")
    dump.add_argument("--only-annotated", action="store_true", help="leave out tasks nobody has annotated")
    _add_user(dump)
    dump.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a format option (keep_empty_images=true); VALUE is read as JSON when it parses",
    )
    dump.add_argument("--media-root", action="append", default=[], help="a folder images may be read from")
    dump.add_argument(
        "--allow-media", action="append", default=[], help="an fsspec prefix images may be read from"
    )

    storage = commands.add_parser(
        "storage",
        help="connect local folders and buckets (s3://, gs://, az://) and sync them",
        description="Credentials come from fsspec's configuration and the environment, never from the "
        "command line, and are never stored with the project.",
    )
    storage_commands = storage.add_subparsers(dest="storage_command", required=True)
    add = storage_commands.add_parser("add", help="add a source (tasks come from it) or a target storage")
    add.add_argument("path", help="project folder or store URL")
    add.add_argument("name", help="the storage's name in the project")
    add.add_argument("url", help="local folder or bucket URL with prefix (s3://bucket/images/)")
    add.add_argument("--target", action="store_true", help="a target: annotated tasks are written to it")
    add.add_argument("--regex", dest="regex_filter", help="only keys matching this (anchored at the start)")
    add.add_argument("--recursive", action="store_true", help="scan sub-folders too")
    add.add_argument(
        "--tasks",
        action="store_true",
        help="objects are .json/.jsonl task files (default: one task per object)",
    )
    add.add_argument("--data-key", help="the data key object URLs go in (default: the config's only one)")
    add.add_argument("--presign", action="store_true", help="the browser gets presigned URLs for media")
    add.add_argument("--presign-ttl", type=float, default=15.0, help="minutes a presigned URL lives")
    add.add_argument("--sync", action="store_true", help="sync it right away")
    _add_user(add)
    run = storage_commands.add_parser(
        "sync", help="import a source's new objects, or write every annotated task to a target"
    )
    run.add_argument("path", help="project folder or store URL")
    run.add_argument("name", help="the storage to sync")
    _add_user(run)
    listing = storage_commands.add_parser("list", help="print the project's storages and their last syncs")
    listing.add_argument("path", help="project folder or store URL")
    _add_user(listing)

    copy = commands.add_parser(
        "copy",
        help="copy a whole project, ids and history included, to another store (SQLite <-> PostgreSQL)",
        description="Copies every table in one transaction on DST: DST must be a new folder or an empty "
        "database, and a copy that fails writes nothing. Example: labelnb copy my-project "
        "postgresql+psycopg://user@host/labels",
    )
    copy.add_argument("src", help="project folder or store URL to copy from")
    copy.add_argument("dst", help="new project folder or empty store URL to copy to")

    stats = commands.add_parser("stats", help="print counts of tasks, annotations and predictions as JSON")
    stats.add_argument("path", help="project folder or store URL")
    _add_user(stats)
    return parser


def _options(pairs: Sequence[str]) -> dict[str, Any]:
    """``["keep_empty_images=true", "split=train"]`` as keyword arguments (JSON values where they parse)."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.isidentifier():
            raise ValueError(f"--option {pair!r} is not KEY=VALUE")
        try:
            options[key] = json.loads(text)
        except json.JSONDecodeError:
            options[key] = text
    return options


def _import(args: argparse.Namespace) -> object:
    project = Project.open(args.path, user=args.user)
    if args.format == "tasks":
        return project.import_tasks(args.file, user=args.user)
    dataset = {"image_root": args.image_root, "as_predictions": args.predictions is not None}
    if args.predictions:
        dataset["model_version"] = args.predictions
    if args.format == "coco":
        return project.import_coco(args.file, user=args.user, **dataset)
    return project.import_yolo(args.file, user=args.user, **dataset)


def _storage(args: argparse.Namespace) -> str:
    project = Project.open(args.path, user=args.user)
    if args.storage_command == "list":
        frame = project.storages.frame()
        return "no storages" if frame.empty else frame.to_string(index=False)
    if args.storage_command == "add":
        settings: dict[str, Any] = {"regex_filter": args.regex_filter, "recursive": args.recursive}
        if not args.target:
            settings.update(
                mode="tasks" if args.tasks else "files",
                data_key=args.data_key,
                presign=args.presign,
                presign_ttl=args.presign_ttl,
            )
        record = project.add_storage(
            args.name, args.url, role="target" if args.target else "source", **settings
        )
        added = f"added {record.role} storage {record.name!r} at {record.url}"
        if not args.sync:
            return added
        return f"{added}\n{_report(project.sync(args.name, user=args.user, progress=False))}"
    return _report(project.sync(args.name, user=args.user, progress=False))


def _report(report: Any) -> str:
    """A sync's report as lines: counts, then the keys of objects that changed, vanished or failed."""
    lines = [repr(report).strip("<>")]
    for name in ("changed", "vanished", "returned"):
        keys = getattr(report, name)
        if keys:
            lines.append(f"{name}: {', '.join(keys[:20])}{' ...' if len(keys) > 20 else ''}")
    lines += [f"error: {key}: {message}" for key, message in report.errors.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 on success, 1 on a user error)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "init":
            project = Project.create(args.path, Path(args.config).read_text(encoding="utf-8"), args.title)
            print(f"created project {project.title!r} at {args.path}")
        elif args.command == "import":
            print(_import(args))
        elif args.command == "export":
            Project.open(args.path, user=args.user).export(
                args.format,
                args.out,
                only_annotated=args.only_annotated,
                media_roots=args.media_root,
                allow_media=args.allow_media,
                progress=False,
                **_options(args.option),
            )
            print(f"wrote {args.out}")
        elif args.command == "storage":
            print(_storage(args))
        elif args.command == "copy":
            report = copy_store(args.src, args.dst)
            print(f"{report} from {shown_location(args.src)} to {shown_location(args.dst)}")
        elif args.command == "stats":
            print(json.dumps(Project.open(args.path, user=args.user).stats(), indent=2))
    except (ConfigError, TaskImportError, ExportDataError, StoreError, OSError, ValueError) as exc:
        print(f"labelnb {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
