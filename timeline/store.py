"""The embedded store: one DuckDB file holding documents and everything extracted.

Only this module talks to the database. Every write is one transaction, so a
reader never sees half a batch. The schema is versioned: ``MIGRATIONS`` is an
append-only list; opening a store applies the ones it has not seen yet.

One writer, many readers (DuckDB's rule: a process holding the file read-write
locks every other process out, readers included). So readers open, read and
close (``Store(path, read_only=True)`` in a ``with``), and opening waits a
bounded time (``TIMELINE_LOCK_WAIT`` s, default 30) while another process or
connection holds the file, printing one progress line naming the holder, then
raises ``StoreBusy`` — never a lock traceback, and nothing of the batch written.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from timeline.dates import check_date
from timeline.errors import InputRejected, StoreBusy, StoreNotFound, safe_text
from timeline.model import Document

DEFAULT_DB = Path("data/timeline.duckdb")


def default_db_path() -> Path:
    """``TIMELINE_DB`` if set, else ``data/timeline.duckdb``."""
    return Path(os.environ.get("TIMELINE_DB", DEFAULT_DB))


DEFAULT_LOCK_WAIT = 30.0
_HELD = re.compile(r"Conflicting lock is held in (.*?) \(PID (\d+)\)")


def lock_wait() -> float:
    """Seconds to wait for a busy store: ``TIMELINE_LOCK_WAIT`` or 30."""
    try:
        return max(0.0, float(os.environ.get("TIMELINE_LOCK_WAIT", DEFAULT_LOCK_WAIT)))
    except ValueError:
        return DEFAULT_LOCK_WAIT


def _stderr_notice(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def lock_holder(error: str) -> str | None:
    """Who holds the store, from DuckDB's lock error; None when it is another error."""
    m = _HELD.search(error)
    if m:
        pid = int(m[2])
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmd = fh.read(400).replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except OSError:
            cmd = os.path.basename(m[1])
        return safe_text(f"held by process {pid} ({cmd})", 200)
    if "different configuration than existing connections" in error:
        return "held by another connection in this process (a write in progress)"
    return None


def connect(path: str, read_only: bool, wait: float | None = None,
            notice: Callable[[str], None] | None = _stderr_notice) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` that waits up to ``wait`` seconds for a lock held elsewhere,
    announcing the wait once through ``notice``, then raises ``StoreBusy``."""
    wait = lock_wait() if wait is None else wait
    started, delay, announced = time.monotonic(), 0.05, False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            holder = lock_holder(str(exc))
            if holder is None:
                raise
            waited = time.monotonic() - started
            if waited >= wait:
                raise StoreBusy(path, holder, waited) from None
            if not announced and notice is not None:
                notice(f"waiting for the store {path}: {holder} (up to {wait:.0f} s)")
                announced = True
            time.sleep(min(delay, max(0.0, wait - waited)))
            delay = min(delay * 2, 1.0)


# Append only. Each entry is (version, description, SQL statements).
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "documents",
        [
            """CREATE TABLE documents (
                id VARCHAR PRIMARY KEY,
                title VARCHAR,
                text VARCHAR NOT NULL,
                published DATE,
                source VARCHAR,
                url VARCHAR,
                author VARCHAR,
                language VARCHAR NOT NULL DEFAULT 'en',
                origin VARCHAR,
                n_chars INTEGER NOT NULL,
                ingested_at TIMESTAMP NOT NULL DEFAULT current_timestamp
            )""",
        ],
    ),
    (
        2,
        "extraction: timexes, actor mentions, event mentions, events",
        [
            """CREATE TABLE timexes (
                doc_id VARCHAR NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
                text VARCHAR, type VARCHAR, value VARCHAR, mod VARCHAR,
                range_start DATE, range_end DATE, granularity VARCHAR, anchor VARCHAR,
                rule VARCHAR, explanation VARCHAR, resolved BOOLEAN, reason VARCHAR
            )""",
            """CREATE TABLE actor_mentions (
                doc_id VARCHAR NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
                text VARCHAR, actor_id VARCHAR, name VARCHAR, kind VARCHAR, country VARCHAR,
                resolved BOOLEAN, via VARCHAR
            )""",
            """CREATE TABLE event_mentions (
                id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, event_id VARCHAR,
                sent_start INTEGER, sent_end INTEGER, sentence VARCHAR, trigger VARCHAR,
                type VARCHAR, modality VARCHAR, title VARCHAR,
                timex_text VARCHAR, timex_start INTEGER, timex_end INTEGER, value VARCHAR, mod VARCHAR,
                start DATE, "end" DATE, precision VARCHAR, date_source VARCHAR, explanation VARCHAR,
                actors JSON, confidence DOUBLE
            )""",
            """CREATE TABLE events (
                id VARCHAR PRIMARY KEY, title VARCHAR, type VARCHAR, modality VARCHAR,
                start DATE, "end" DATE, precision VARCHAR, value VARCHAR, mod VARCHAR,
                actors VARCHAR[], countries VARCHAR[], n_sources INTEGER, sources VARCHAR[],
                conflict BOOLEAN, conflict_note VARCHAR, claims JSON, confidence DOUBLE
            )""",
            """CREATE TABLE event_actors (
                event_id VARCHAR NOT NULL, actor_id VARCHAR, name VARCHAR, role VARCHAR,
                country VARCHAR, kind VARCHAR, resolved BOOLEAN, is_leader BOOLEAN
            )""",
        ],
    ),
    (
        3,
        "open-world extraction: offices of open actors, salience, clause",
        [
            "ALTER TABLE actor_mentions ADD COLUMN IF NOT EXISTS office VARCHAR",
            "ALTER TABLE event_actors ADD COLUMN IF NOT EXISTS office VARCHAR",
            "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS salience DOUBLE",
            "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS clause VARCHAR",
            "ALTER TABLE events ADD COLUMN IF NOT EXISTS salience DOUBLE",
        ],
    ),
    # Version 4 depends on no other and is idempotent, so it is right whichever order
    # the branches that added 3 and 5 landed in.
    (
        4,
        "documents.doc_type: news | narrative | NULL (detect automatically)",
        ["ALTER TABLE documents ADD COLUMN IF NOT EXISTS doc_type VARCHAR"],
    ),
]
MIGRATIONS.sort(key=lambda m: m[0])
SCHEMA_VERSION = MIGRATIONS[-1][0]

DOC_COLUMNS = ["id", "title", "text", "published", "source", "url", "author", "language", "origin",
               "doc_type"]


def holds_documents(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a store with at least one document (False: missing, a
    zero-byte file, or the empty store an earlier ``streamlit run app.py`` created)."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return False
    with Store(path, read_only=True) as store:
        return store.count("documents") > 0


class Store:
    """A narrow data-access class around one DuckDB file (or ``:memory:``).

    ``create=False`` refuses a path with no store (``StoreNotFound``), so a mistyped
    ``--db`` is an error rather than a new empty store. ``wait`` is how long to wait
    for another writer (default ``TIMELINE_LOCK_WAIT``); see the module docstring."""

    def __init__(self, path: str | os.PathLike[str] | None = None, read_only: bool = False, *,
                 create: bool = True, wait: float | None = None,
                 notice: Callable[[str], None] | None = _stderr_notice):
        self.path = str(path if path is not None else default_db_path())
        if self.path != ":memory:" and not os.path.exists(self.path) and (read_only or not create):
            raise StoreNotFound(f"no store at {safe_text(self.path, 300)}: check --db / TIMELINE_DB, or "
                                "create it with `python -m timeline ingest FILES --db PATH`")
        if self.path != ":memory:" and not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = connect(self.path, read_only, wait, notice)
        try:
            if not read_only:
                self.migrate()
            self._doc_columns = [c for c in DOC_COLUMNS if c in self._columns("documents")]
        except BaseException:
            self.con.close()
            raise

    def _columns(self, table: str) -> set[str]:
        return {r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}

    # -- lifecycle -----------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing: commit on success, roll back on any exception."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchall()[0][0]
        if not exists:
            return 0
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        row = rows[0] if rows else None
        return int(row[0]) if row else 0

    def migrate(self) -> int:
        """Apply pending migrations, each in its own transaction. Returns the version."""
        self.con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        current = self.schema_version()
        for version, _desc, statements in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction() as con:
                for sql in statements:
                    con.execute(sql).fetchall()
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)]
                ).fetchall()
            current = version
        return current

    # -- documents ---------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> dict[str, str | None]:
        """Map of id -> origin for the ids already stored."""
        ids = list(ids)
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT id, origin FROM documents WHERE list_contains(?, id)", [ids]
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def add_documents(self, docs: Iterable[Document]) -> int:
        """Insert documents in one transaction; ids already present are skipped."""
        docs = list(docs)
        if not docs:
            return 0
        for d in docs:
            if d.published is not None:
                try:
                    check_date(d.published)
                except ValueError as exc:
                    raise InputRejected(d.origin or d.id, f"publication date {d.published}: {exc}") from None
        frame = pd.DataFrame(
            {
                "id": [d.id for d in docs],
                "title": [d.title for d in docs],
                "text": [d.text for d in docs],
                "published": pd.Series([d.published for d in docs], dtype="object"),
                "source": [d.source for d in docs],
                "url": [d.url for d in docs],
                "author": [d.author for d in docs],
                "language": [d.language or "en" for d in docs],
                "origin": [d.origin for d in docs],
                "doc_type": [d.doc_type for d in docs],
                "n_chars": [len(d.text) for d in docs],
            }
        )
        with self.transaction() as con:
            con.register("_new_docs", frame)
            before = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
            con.execute(
                """INSERT INTO documents (id, title, text, published, source, url, author,
                       language, origin, doc_type, n_chars)
                   SELECT id, title, text, CAST(published AS DATE), source, url, author,
                       language, origin, CAST(doc_type AS VARCHAR), n_chars
                   FROM _new_docs WHERE id NOT IN (SELECT id FROM documents)
                   QUALIFY row_number() OVER (PARTITION BY id) = 1"""
            ).fetchall()
            after = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
            con.unregister("_new_docs")
        return after - before

    def documents(self, with_text: bool = True) -> pd.DataFrame:
        cols = self._doc_columns if with_text else [c for c in self._doc_columns if c != "text"]
        cols = cols + ["n_chars", "ingested_at"]
        sql = "SELECT " + ", ".join(cols) + " FROM documents ORDER BY published NULLS LAST, id"
        return self.con.execute(sql).df()

    def iter_documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        sql = "SELECT " + ", ".join(self._doc_columns) + " FROM documents"
        params: list[object] = []
        if ids is not None:
            sql += " WHERE list_contains(?, id)"
            params.append(list(ids))
        for row in self.con.execute(sql + " ORDER BY id", params).fetchall():
            rec = dict(zip(self._doc_columns, row))
            yield Document(**rec)

    def get_document(self, doc_id: str) -> Document | None:
        docs = list(self.iter_documents([doc_id]))
        return docs[0] if docs else None

    def count(self, table: str = "documents") -> int:
        if table not in {m for m in _TABLES}:
            raise ValueError(f"unknown table {table!r}")
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]

    def set_published(self, doc_id: str, published: dt.date) -> None:
        """Fix a document's publication date (extraction must then be re-run)."""
        try:
            check_date(published)
        except ValueError as exc:
            raise InputRejected(doc_id, f"publication date {published}: {exc}") from None
        with self.transaction() as con:
            n = con.execute(
                "UPDATE documents SET published = ? WHERE id = ? RETURNING id",
                [published, doc_id],
            ).fetchall()
            if not n:
                raise KeyError(f"no document with id {doc_id!r}")


    # -- extraction (timexes, actor/event mentions, events) --------------------------
    def replace_extraction(self, tables: dict[str, pd.DataFrame], doc_ids: Iterable[str] | None = None) -> None:
        """Write extraction results in ONE transaction.

        ``tables`` maps each of EXTRACTION_TABLES to rows in that table's column order.
        events, event_actors and event_mentions are always replaced whole (a new
        document can change every event); timexes and actor_mentions are replaced
        for ``doc_ids`` only, or whole when ``doc_ids`` is None. On any error nothing
        changes."""
        with self.transaction() as con:
            for name in EXTRACTION_TABLES:
                if name in ("timexes", "actor_mentions") and doc_ids is not None:
                    con.execute(f"DELETE FROM {name} WHERE list_contains(?, doc_id)", [list(doc_ids)]).fetchall()
                else:
                    con.execute(f"DELETE FROM {name}").fetchall()
                frame = tables.get(name)
                if frame is None or frame.empty:
                    continue
                con.register("_rows", frame)
                cols = ", ".join(f'"{c}"' for c in frame.columns)
                con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM _rows").fetchall()
                con.unregister("_rows")

    def table(self, name: str, exclude_docs: Iterable[str] | None = None) -> pd.DataFrame:
        """One extraction table as a DataFrame (optionally without some documents' rows)."""
        if name not in EXTRACTION_TABLES:
            raise ValueError(f"unknown table {name!r}")
        sql, params = f"SELECT * FROM {name}", []
        if exclude_docs is not None and name not in ("events", "event_actors"):
            sql += " WHERE NOT list_contains(?, doc_id)"
            params.append(list(exclude_docs))
        return self.con.execute(sql, params).df()


EXTRACTION_TABLES = ("timexes", "actor_mentions", "event_mentions", "events", "event_actors")
_TABLES = ("documents", "timexes", "actor_mentions", "event_mentions", "events", "event_actors")
