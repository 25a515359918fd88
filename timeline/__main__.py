"""CLI: ``python -m timeline <command> ...``.

Each command lives in ``timeline/commands/<name>.py`` and exposes
``register(subparsers)``; the parser it adds sets ``func`` to a callable taking
the parsed args and returning an exit code. Errors meant for the user are
``timeline.errors.UserError`` and are printed in one place, here.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from timeline.errors import UserError

COMMAND_MODULES = ("ingest", "extract", "events", "evaluate", "export")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m timeline", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"timeline.commands.{name}")
        except ModuleNotFoundError as exc:  # a command not built yet; anything else is a bug
            if exc.name != f"timeline.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
