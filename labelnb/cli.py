"""The ``labelnb`` command: make a project, import tasks, export results, show counts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from labelnb.config import ConfigError
from labelnb.formats.errors import TaskImportError
from labelnb.project import EXPORT_FORMATS, Project
from labelnb.store import StoreError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="labelnb", description="Label Studio-compatible labeling projects.")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create a project folder from a labeling config (XML)")
    init.add_argument("path", help="project folder (created) or store URL")
    init.add_argument("--config", required=True, help="file holding the labeling config XML")
    init.add_argument("--title", help="project title (default: the folder's name)")

    load = commands.add_parser("import", help="import tasks from .json, .jsonl, .csv, .tsv or .txt")
    load.add_argument("path", help="project folder or store URL")
    load.add_argument("file", help="file with tasks")
    load.add_argument("--user", help="who imports (default: JUPYTERHUB_USER or the system user)")

    dump = commands.add_parser("export", help="export tasks and annotations")
    dump.add_argument("path", help="project folder or store URL")
    dump.add_argument("format", choices=EXPORT_FORMATS)
    dump.add_argument("out", help="file to write")
    dump.add_argument("--only-annotated", action="store_true", help="leave out tasks nobody has annotated")

    stats = commands.add_parser("stats", help="print counts of tasks, annotations and predictions as JSON")
    stats.add_argument("path", help="project folder or store URL")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 on success, 1 on a user error)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "init":
            project = Project.create(args.path, Path(args.config).read_text(encoding="utf-8"), args.title)
            print(f"created project {project.title!r} at {args.path}")
        elif args.command == "import":
            report = Project.open(args.path).import_tasks(args.file, user=args.user)
            print(report)
        elif args.command == "export":
            Project.open(args.path).export(args.format, args.out, only_annotated=args.only_annotated)
            print(f"wrote {args.out}")
        elif args.command == "stats":
            print(json.dumps(Project.open(args.path).stats(), indent=2))
    except (ConfigError, TaskImportError, StoreError, FileNotFoundError, ValueError) as exc:
        print(f"labelnb {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
