"""An on-disk cache of tables derived from resource files (issue 13: every extracting
process built the temporal grammar's prefix tables anew, ~1.5 CPU s, a third of an
incremental extract of ten articles with the gazetteer extractor).

An entry is a JSON file named by a key: the SHA-256 of the inputs' bytes (the resource
file and the source of the code that derives the tables from it) and the Python version
(the derivation reads ``re._parser``'s output). A changed input gives another key, so a
stale entry is never read; an entry that cannot be read or does not carry its key is
rebuilt. Data only (JSON, never pickle): a bad entry cannot run code. Nothing is
downloaded; a miss builds, then writes the entry atomically (temporary file, then
rename), and a folder that cannot be written only costs the build.

The folder: ``TIMELINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/timeline``, else
``~/.cache/timeline``; ``TIMELINE_CACHE_DIR=off`` turns the cache off.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

CACHE_ENV = "TIMELINE_CACHE_DIR"
FORMAT = "1"  # of the entries' layout


def cache_dir() -> Path | None:
    """Where entries live (None: no cache)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return None if env.lower() == "off" else Path(env)
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "timeline"
    try:
        return Path.home() / ".cache" / "timeline"
    except RuntimeError:  # no home folder
        return None


def cache_key(inputs: Iterable[bytes]) -> str:
    """The SHA-256 (hex) of ``inputs``, the entries' format and the Python version."""
    h = hashlib.sha256(f"{FORMAT}|{sys.version_info[0]}.{sys.version_info[1]}".encode())
    for part in inputs:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def derived(name: str, key: str, build: Callable[[], Any], folder: Path | None = None) -> Any:
    """The JSON value ``build()`` gives for ``key``, read from the entry ``name``-``key``
    when it holds one, else built and stored. ``folder``: default ``cache_dir()``."""
    folder = folder if folder is not None else cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key[:40]}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(entry, dict) and entry.get("key") == key and "value" in entry:
            return entry["value"]
    except (OSError, ValueError):
        pass  # absent, unreadable or torn: build
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"key": key, "value": value}, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full disk: the next process builds again
    return value
