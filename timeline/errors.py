"""One typed error hierarchy; every message is one line meant for the user.

The CLI turns these into output and an exit code in one place
(``timeline/__main__.py``), the dashboard in one place (``dashboard/errors.py``),
the way datasette's ``handle_exception`` does. Anything else that escapes is a bug:
the CLI prints one line and exits 3, the app shows one line.

Exit codes: 0 = everything done; 1 = some input rejected (the rest stored);
2 = usage (bad flag, argument, missing store); 3 = could not finish (store busy,
extraction failed, internal error) with nothing half-written.

    TimelineError
    ├── UserError            the user can fix it (exit 2)
    │   ├── InputRejected    a file/record/value refused; .path and .reason (IngestError = this)
    │   ├── StoreNotFound    --db names no store
    │   └── ExportUnavailable image export cannot run here (no Chromium)
    ├── StoreBusy            another process holds the store's write lock (exit 3)
    └── ExtractionFailed     a document could not be extracted in budget (exit 3)
"""
from __future__ import annotations

import re

#: Longest message shown for one input (the report line, the app message).
MAX_MESSAGE = 400

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3

# C0/C1 controls, DEL, bidi overrides and line/paragraph separators: they would break a
# one-line report or reorder it on screen (ANSI escapes start with \x1b).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe_text(text: object, limit: int = MAX_MESSAGE) -> str:
    """``text`` as one printable line: controls escaped (``\\n``, ``\\x1b``), lone
    surrogates (undecodable file-name bytes) shown as ``\\xNN``, cut at ``limit`` chars."""
    s = str(text)
    if len(s) > limit * 4:  # never escape megabytes only to cut them
        s = s[: limit * 4]
    s = _UNSAFE.sub(_escape, s)
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


def _escape(m: re.Match[str]) -> str:
    ch = m[0]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape of a raw byte
        return f"\\x{code - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def short_repr(value: object, limit: int = 60) -> str:
    """A bounded repr for quoting a bad value in a message (never megabytes)."""
    if isinstance(value, str):
        return repr(value[:limit] + "…") if len(value) > limit else repr(value)
    return f"a {type(value).__name__}" if isinstance(value, (dict, list, tuple, set)) else safe_text(repr(value), limit)


class TimelineError(Exception):
    """Base: a failure with a one-line message for the user and an exit code."""

    exit_code = EXIT_FAILED

    def __str__(self) -> str:
        return safe_text(super().__str__())


class UserError(TimelineError):
    """Something the user can fix; the message says what and how."""

    exit_code = EXIT_USAGE


class InputRejected(UserError):
    """A file, record or value was refused. ``path`` names it; ``reason`` says why."""

    exit_code = EXIT_REJECTED

    def __init__(self, path: str, reason: str):
        self.path = safe_text(path, 200)
        self.reason = safe_text(reason)
        super().__init__(f"{self.path}: {self.reason}")


#: The name the ingest code has always used.
IngestError = InputRejected


class StoreNotFound(UserError):
    """A command that reads an existing store was pointed at a path with none."""


class ExportUnavailable(UserError):
    """Image export cannot run here (no Chromium); the message gives the install command."""


class StoreBusy(TimelineError):
    """The store is locked by another writer past the wait limit; nothing was written."""

    def __init__(self, path: str, holder: str, waited: float):
        self.path, self.holder, self.waited = path, holder, waited
        super().__init__(
            f"the store {path} is busy: {holder}; waited {waited:.0f} s "
            "(retry when it has finished, or raise TIMELINE_LOCK_WAIT seconds)")


class ExtractionFailed(TimelineError):
    """A document could not be extracted (over its time budget, or a bug in a stage)."""

    def __init__(self, doc_id: str, reason: str):
        self.doc_id = doc_id
        self.reason = safe_text(reason)
        super().__init__(f"document {doc_id}: {self.reason}")
