"""CLI: ``python -m timeline <command> ...``.

Each command lives in ``timeline/commands/<name>.py`` and exposes
``register(subparsers)``; the parser it adds sets ``func`` to a callable taking
the parsed args and returning an exit code. Errors are handled in one place,
here (:func:`handle_exception`): a ``timeline.errors.TimelineError`` prints its
one-line message and exits with its code; anything else is a bug and prints one
line and exits 3 (``TIMELINE_DEBUG=1`` shows the traceback). Exit codes: 0 done,
1 some input rejected, 2 usage, 3 could not finish (store busy, internal error).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from timeline.errors import EXIT_FAILED, TimelineError, safe_text

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


def handle_exception(exc: BaseException) -> int:
    """The one place an error becomes output: one line on stderr and an exit code."""
    if isinstance(exc, TimelineError):
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        print("interrupted: nothing half-written was kept", file=sys.stderr)
        return 130
    if os.environ.get("TIMELINE_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    where = ""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None:
        where = f" at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}"
    print(safe_text(f"internal error: {type(exc).__name__}: {exc}{where} "
                    "(a bug; TIMELINE_DEBUG=1 shows the traceback)"), file=sys.stderr)
    return EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (Exception, KeyboardInterrupt) as exc:
        return handle_exception(exc)


if __name__ == "__main__":
    sys.exit(main())
