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
import functools
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from timeline.dates import check_date
from timeline.errors import InputRejected, StoreBusy, StoreNotFound, safe_text
from timeline.model import Document

DEFAULT_DB = Path("data/timeline.duckdb")


def default_db_path() -> Path:
    """``TIMELINE_DB`` if set, else ``data/timeline.duckdb``."""
    return Path(os.environ.get("TIMELINE_DB", DEFAULT_DB))


DEFAULT_LOCK_WAIT = 30.0
#: DuckDB working memory of a read-only connection (``TIMELINE_READ_MEMORY``; "" = DuckDB's default)
READ_MEMORY = "256MB"
#: DuckDB working memory of a long write job (``extract``: ``TIMELINE_WRITE_MEMORY``; "" = DuckDB's
#: default, 80% of the machine). Without it DuckDB keeps every block it read or wrote while
#: it has room, and each checkpoint of the growing tables peaks higher: the per-document
#: stage's writes alone peaked at 422 MB at 4,000 articles and 720 MB at 16,000; at 128MB,
#: 391 and 458 (``Store.working_memory``; bench/README.md "Flat memory").
WRITE_MEMORY = "128MB"
#: labels per UPDATE statement (``Store.update_events``): one UPDATE of 80,000 rows of a
#: 4,000-article store took 4.5 CPU s, four of 20,000 in one transaction 0.2
LABEL_ROWS = 20_000
#: row ids per UPDATE when the staged labels are applied (``Store.apply_staged_labels``),
#: and DuckDB's working memory meanwhile: at 128MB the apply raised the peak RSS of a
#: 4,000-article reconcile by 29 MB (456 against main's 419), at 64MB by none (426)
LABEL_SLICE = 1 << 16
LABEL_MEMORY = "64MB"
#: rows per Arrow batch of a read (few batches: a frame built on them takes rows fast)
ARROW_BATCH = 1 << 20
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
    (
        5,
        "incremental extraction: which documents' rows are current, and whether events are",
        [
            # one row per document whose timexes/actor/event mentions are stored, with the
            # fingerprint of the metadata they were extracted from (the id covers the text)
            """CREATE TABLE extraction_state (
                doc_id VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL,
                extracted_at TIMESTAMP NOT NULL DEFAULT current_timestamp
            )""",
            # events are stale until a reconcile over the current mentions commits
            "INSERT OR REPLACE INTO meta VALUES ('events_stale', 'true')",
        ],
    ),
    (
        6,
        "provenance: the source's own document id and sentences; trigger offsets and sentence index",
        [
            "ALTER TABLE documents ADD COLUMN IF NOT EXISTS ext_id VARCHAR",
            "ALTER TABLE documents ADD COLUMN IF NOT EXISTS sentences VARCHAR",
            "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS trigger_start INTEGER",
            "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS trigger_end INTEGER",
            "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS sentence_index INTEGER",
        ],
    ),
    (
        7,
        "local reconciliation: each mention's region and first-stage event; events that lost mentions",
        [
            # the region (timeline.regions) and the region's event (before merges across
            # regions) a mention was last reconciled in, and its place in that event: a
            # region whose members all carry its id is unchanged and is not reconciled
            # again; its events are read back as they were when a merge needs them
            "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS block VARCHAR",
            "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS cluster VARCHAR",
            "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS pos INTEGER",
            # events some of whose mentions were deleted (their document re-read or gone)
            "CREATE TABLE IF NOT EXISTS stale_events (event_id VARCHAR PRIMARY KEY)",
            # every stored event is rebuilt once, with its mentions labelled
            "INSERT OR REPLACE INTO meta VALUES ('events_stale', 'true')",
        ],
    ),
    (
        8,
        "incremental planning: the region of every cell, the conflict links, regions that lost mentions",
        [
            # timeline.regions' cells (one row per cell id) and the region that holds each;
            # the mention pairs a conflict could join (regions.conflict_links); regions
            # some of whose mentions were deleted. Kept by a reconcile that finished
            # (meta 'regions_plan'); until one has, the next plans from every mention
            "CREATE TABLE IF NOT EXISTS region_cells (cell VARCHAR NOT NULL, block VARCHAR NOT NULL)",
            "CREATE TABLE IF NOT EXISTS conflict_links (a VARCHAR NOT NULL, b VARCHAR NOT NULL)",
            "CREATE TABLE IF NOT EXISTS stale_blocks (block VARCHAR NOT NULL)",
            "DELETE FROM meta WHERE key = 'regions_plan'",
        ],
    ),
    (
        9,
        "replayed reconciliation: the event each mention was placed in when its region last ran",
        [
            # the first mention of the event a mention joined (or started) in its stage of
            # reconcile.reconcile_region, before merges: a region run again replays these
            # decisions where they provably hold (timeline.region_replay); NULL: unknown
            # (the region is scored from scratch the next time it runs)
            "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS seed VARCHAR",
        ],
    ),
    (
        10,
        "staged labels: a full reconcile's labels, appended block by block, applied once",
        [
            # each block of a full reconcile appends its mentions' labels here (with its
            # events, one transaction) instead of updating event_mentions, whose every
            # UPDATE and checkpoint cost in proportion to the whole table; they are applied
            # in one pass after the last block (``Store.apply_staged_labels``). Rows left
            # by a killed reconcile are applied by the next one, or dropped when documents
            # change before it (``_mark_stale_events``)
            """CREATE TABLE IF NOT EXISTS staged_labels (
                id VARCHAR NOT NULL, event_id VARCHAR, block VARCHAR, cluster VARCHAR, pos INTEGER, seed VARCHAR,
                seeded BOOLEAN NOT NULL)""",
        ],
    ),
]
MIGRATIONS.sort(key=lambda m: m[0])
SCHEMA_VERSION = MIGRATIONS[-1][0]

#: What a document's extraction depends on besides its text (its id is a hash of the
#: text): a changed publication date, title, source, url, author, language, document type or given
#: sentence segmentation means the stored rows are out of date (``concat_ws`` skips a NULL
#: ``sentences``, so documents without one keep the fingerprint they had before migration 6). Computed in SQL so a batch's fingerprints are read with it.
FINGERPRINT_SQL = ("md5(concat_ws(chr(31), coalesce(CAST(published AS VARCHAR), '?'), coalesce(title, '?'), "
                   "coalesce(source, '?'), coalesce(url, '?'), coalesce(author, '?'), language, coalesce(doc_type, '?'), sentences))")
#: Rows of these tables belong to one document and are replaced batch by batch.
DOC_TABLES = ("timexes", "actor_mentions", "event_mentions")


DOC_COLUMNS = ["id", "title", "text", "published", "source", "url", "author", "language", "origin",
               "doc_type", "ext_id", "sentences"]


def _roomy(method: Callable) -> Callable:
    """A store method (one transaction, or a read) run again without the working-memory
    cap when it does not fit under it (``Store.working_memory``): slower or bigger, never failing."""
    @functools.wraps(method)
    def run(self: "Store", *args: object, **kwargs: object) -> object:
        try:
            return method(self, *args, **kwargs)
        except duckdb.OutOfMemoryException:
            if not self._memory_limited:
                raise
            self._unlimit()
            return method(self, *args, **kwargs)
    return run


def holds_documents(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a store with at least one document (False: missing, a
    zero-byte file, or the empty store an earlier ``streamlit run app.py`` created)."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return False
    with Store(path, read_only=True) as store:
        return store.count("documents") > 0


@dataclass(frozen=True)
class RegionPlan:
    """What a reconcile leaves for the next one to plan from (``Store.finish_events``):
    ``full``: every region's cells and every link (the tables are replaced); else the
    stored regions ``renamed`` (old -> new id) and ``dropped`` (their cells replaced by
    ``cells``), ``cells`` (cell -> region) written over, and the links of ``changed``
    mentions (and of mentions gone) replaced by ``links``."""

    version: str
    full: bool
    cells: pd.DataFrame  # cell, block
    links: pd.DataFrame  # a, b
    renamed: pd.DataFrame = field(default_factory=lambda: _frame(old=[], new=[]))
    dropped: pd.DataFrame = field(default_factory=lambda: _frame(block=[]))
    changed: pd.DataFrame = field(default_factory=lambda: _frame(id=[]))


def _frame(**columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(v, dtype="object") for k, v in columns.items()})


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
        self._memory_limited = False
        try:
            if not read_only:
                self.migrate()
            else:
                self._limit_memory()
            self._doc_columns = [c for c in DOC_COLUMNS if c in self._columns("documents")]
        except BaseException:
            self.con.close()
            raise

    def _limit_memory(self) -> None:
        """A reader asks DuckDB for at most ``TIMELINE_READ_MEMORY`` (default 256MB) of
        working memory: the app and the streamed commands hold their own results, and
        DuckDB's buffers would otherwise double their peak. A read that needs more is run
        again without the limit (``_arrow``): smaller, never failing."""
        limit = os.environ.get("TIMELINE_READ_MEMORY", READ_MEMORY)
        if limit and self.path != ":memory:":
            self.con.execute("SET memory_limit = ?", [limit]).fetchall()
            self._memory_limited = True

    @contextmanager
    def working_memory(self, limit: str | None = None) -> Iterator[None]:
        """DuckDB's working memory capped at ``limit`` (default ``TIMELINE_WRITE_MEMORY``)
        while the block runs: DuckDB spills or evicts instead of growing with the store.
        A write that does not fit is run again without the cap (``_roomy``)."""
        limit = os.environ.get("TIMELINE_WRITE_MEMORY", WRITE_MEMORY) if limit is None else limit
        if not limit or self.path == ":memory:" or self._memory_limited:
            yield
            return
        self.con.execute("SET memory_limit = ?", [limit]).fetchall()
        self._memory_limited = True
        try:
            yield
        finally:
            if self._memory_limited:
                self._unlimit()

    @contextmanager
    def _memory_at_most(self, limit: str) -> Iterator[None]:
        """Under a working-memory cap, a lower one while the block runs (a retry without
        the cap, ``_roomy``, runs without either)."""
        if not self._memory_limited:
            yield
            return
        before = self.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        self.con.execute("SET memory_limit = ?", [limit]).fetchall()
        try:
            yield
        finally:
            if self._memory_limited:
                self.con.execute("SET memory_limit = ?", [before]).fetchall()

    def _unlimit(self) -> None:
        self.con.execute("RESET memory_limit").fetchall()
        self._memory_limited = False

    @_roomy
    def _arrow(self, sql: str) -> pa.Table:
        """``sql``'s result as Arrow; under a reader's memory limit, or without it if it
        does not fit."""
        return self.con.sql(sql).to_arrow_table(ARROW_BATCH)

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
                "ext_id": [d.ext_id for d in docs],
                "sentences": [d.sentences for d in docs],
                "n_chars": [len(d.text) for d in docs],
            }
        )
        with self.transaction() as con:
            con.register("_new_docs", frame)
            before = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
            con.execute(
                """INSERT INTO documents (id, title, text, published, source, url, author,
                       language, origin, doc_type, ext_id, sentences, n_chars)
                   SELECT id, title, text, CAST(published AS DATE), source, url, author,
                       language, origin, CAST(doc_type AS VARCHAR), CAST(ext_id AS VARCHAR),
                       CAST(sentences AS VARCHAR), n_chars
                   FROM _new_docs WHERE id NOT IN (SELECT id FROM documents)
                   QUALIFY row_number() OVER (PARTITION BY id) = 1"""
            ).fetchall()
            after = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
            con.unregister("_new_docs")
        return after - before

    def documents(self, with_text: bool = True) -> pd.DataFrame:
        cols = self._doc_columns if with_text else [c for c in self._doc_columns if c not in ("text", "sentences")]
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
    # -- incremental, batched extraction (migration 5) ----------------------------------
    def pending_documents(self) -> list[str]:
        """Ids of documents whose stored extraction is missing or out of date, in id order."""
        return [r[0] for r in self.con.execute(
            f"""SELECT d.id FROM documents d LEFT JOIN extraction_state s ON s.doc_id = d.id
                WHERE s.doc_id IS NULL OR s.fingerprint <> {FINGERPRINT_SQL}
                ORDER BY d.id""").fetchall()]

    def orphaned_extractions(self) -> list[str]:
        """Documents with extraction rows but no longer in ``documents``."""
        return [r[0] for r in self.con.execute(
            "SELECT doc_id FROM extraction_state WHERE doc_id NOT IN (SELECT id FROM documents) ORDER BY doc_id"
        ).fetchall()]

    def forget_extractions(self, doc_ids: Iterable[str] | None = None) -> None:
        """Mark documents (all when None) as to be re-read. Their rows stay visible until
        the re-read batch replaces them, so an interrupted rebuild leaves a usable store."""
        with self.transaction() as con:
            if doc_ids is None:
                con.execute("DELETE FROM extraction_state").fetchall()
            else:
                con.execute("DELETE FROM extraction_state WHERE list_contains(?, doc_id)", [list(doc_ids)]).fetchall()

    def document_batches(self, ids: list[str], size: int) -> Iterator[tuple[list[Document], list[str]]]:
        """Documents (with the fingerprint they are read at) ``size`` at a time: only one
        batch of text is in memory."""
        for i in range(0, len(ids), size):
            yield self.document_batch(ids[i:i + size])

    @_roomy
    def document_batch(self, ids: list[str]) -> tuple[list[Document], list[str]]:
        """The documents ``ids`` in id order, with the fingerprint they are read at."""
        cols = ", ".join(DOC_COLUMNS)
        rows = self.con.execute(
            f"SELECT {cols}, {FINGERPRINT_SQL} FROM documents WHERE list_contains(?, id) ORDER BY id", [ids]).fetchall()
        return [Document(**dict(zip(DOC_COLUMNS, r[:-1]))) for r in rows], [r[-1] for r in rows]

    @_roomy
    def write_document_batch(self, tables: dict[str, pd.DataFrame], doc_ids: list[str],
                             fingerprints: list[str]) -> None:
        """ONE transaction: replace the per-document rows of ``doc_ids``, record them as
        current, and mark the events stale. A crash loses at most this batch."""
        with self.transaction() as con:
            self._mark_stale_events(con, doc_ids)
            for name in DOC_TABLES:
                con.execute(f"DELETE FROM {name} WHERE list_contains(?, doc_id)", [doc_ids]).fetchall()
                self._insert(con, name, tables.get(name))
            state = pd.DataFrame({"doc_id": doc_ids, "fingerprint": fingerprints})
            con.register("_state", state)
            con.execute("INSERT OR REPLACE INTO extraction_state (doc_id, fingerprint) "
                        "SELECT doc_id, fingerprint FROM _state").fetchall()
            con.unregister("_state")
            con.execute("INSERT OR REPLACE INTO meta VALUES ('events_stale', 'true')").fetchall()

    @_roomy
    def drop_document_rows(self, doc_ids: list[str]) -> None:
        """Remove the extraction rows of documents that are gone (one transaction)."""
        with self.transaction() as con:
            self._mark_stale_events(con, doc_ids)
            for name in DOC_TABLES:
                con.execute(f"DELETE FROM {name} WHERE list_contains(?, doc_id)", [doc_ids]).fetchall()
            con.execute("DELETE FROM extraction_state WHERE list_contains(?, doc_id)", [doc_ids]).fetchall()
            con.execute("INSERT OR REPLACE INTO meta VALUES ('events_stale', 'true')").fetchall()

    @staticmethod
    def _mark_stale_events(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> None:
        """Events and regions about to lose mentions of ``doc_ids``: rebuilt by the next reconcile."""
        con.execute("INSERT OR IGNORE INTO stale_events SELECT DISTINCT event_id FROM event_mentions "
                    "WHERE event_id IS NOT NULL AND list_contains(?, doc_id)", [doc_ids]).fetchall()
        con.execute("INSERT INTO stale_blocks SELECT DISTINCT block FROM event_mentions "
                    "WHERE block IS NOT NULL AND list_contains(?, doc_id)", [doc_ids]).fetchall()
        # labels a killed reconcile staged but did not apply are void once documents change
        # (the regions they name may lose or gain mentions): the rerun reconciles them again
        con.execute("DELETE FROM staged_labels").fetchall()

    def extractor_changed(self, kind: str) -> bool:
        """Record which extractor ("open" / "gazetteer") fills the store; True when the
        stored rows came from the other one (then every document must be re-read)."""
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'extractor'").fetchall()
        before = rows[0][0] if rows else None
        if before != kind:
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('extractor', ?)", [kind]).fetchall()
        return before is not None and before != kind

    def events_stale(self) -> bool:
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'events_stale'").fetchall()
        return not rows or rows[0][0] == "true"

    _RECONCILE_KEYS = """SELECT m.id, m.doc_id, m.type, m.date_source,
                      CASE WHEN m.value IS NULL THEN NULL ELSE m.start END,
                      CASE WHEN m.value IS NULL THEN NULL ELSE m."end" END,
                      m.precision, m.timex_text, CAST(m.actors AS VARCHAR), d.published,
                      m.block, m.cluster, m.event_id
               FROM event_mentions m LEFT JOIN documents d ON d.id = m.doc_id"""

    def reconcile_keys(self) -> list[tuple]:
        """What decides every mention's region (``timeline.regions``), as plain tuples:
        id, doc_id, type, date_source, start, end, precision, timex_text, actors (JSON),
        the document's publication date, and the stored block, cluster, event_id."""
        return [r for chunk in self.reconcile_key_chunks() for r in chunk]

    def reconcile_key_chunks(self, size: int = 50_000) -> Iterator[list[tuple]]:
        """``reconcile_keys`` ``size`` rows at a time (the caller keeps what it needs of
        each row, not the rows)."""
        cur = self.con.cursor()  # its own cursor: the caller may query the store meanwhile
        try:
            cur.execute(self._RECONCILE_KEYS)
            while chunk := cur.fetchmany(size):
                yield chunk
        finally:
            cur.close()

    def stale_events(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT event_id FROM stale_events").fetchall()}

    # -- incremental planning (migration 8): what reconcile_store reads instead of every mention
    def regions_plan(self) -> str | None:
        """The plan version the stored region cells and conflict links are current for
        (written by a reconcile that finished), else None."""
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'regions_plan'").fetchall()
        return rows[0][0] if rows else None

    def plan_pending(self) -> None:
        """A reconcile is about to write: until it finishes, the next one plans from every mention."""
        self.con.execute("DELETE FROM meta WHERE key = 'regions_plan'").fetchall()

    @_roomy
    def changed_reconcile_keys(self) -> list[tuple]:
        """``reconcile_keys`` of the mentions in no region yet (new or re-read documents) and
        of documents whose metadata changed since they were read, or that are gone."""
        return self.con.execute(self._RECONCILE_KEYS + f"""
            WHERE m.block IS NULL OR m.doc_id IN (
                SELECT s.doc_id FROM extraction_state s LEFT JOIN documents d ON d.id = s.doc_id
                WHERE d.id IS NULL OR s.fingerprint <> {FINGERPRINT_SQL})""").fetchall()

    def changed_blocks(self) -> set[str]:
        """The stored regions of the mentions ``changed_reconcile_keys`` gives."""
        return {r[0] for r in self.con.execute(f"""
            SELECT DISTINCT m.block FROM event_mentions m WHERE m.block IS NOT NULL AND m.doc_id IN (
                SELECT s.doc_id FROM extraction_state s LEFT JOIN documents d ON d.id = s.doc_id
                WHERE d.id IS NULL OR s.fingerprint <> {FINGERPRINT_SQL})""").fetchall()}

    def clusters_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The stored cluster of each of the mentions ``ids``."""
        return dict(self._joined_rows("id", ids, "SELECT m.id, m.cluster FROM event_mentions m JOIN _ids USING (id)"))

    def reconcile_keys_of(self, column: str, values: Iterable[str]) -> list[tuple]:
        """``reconcile_keys`` of the mentions whose ``column`` (id, block) is one of ``values``."""
        assert column in ("id", "block")
        return self._joined_rows(column, values, self._RECONCILE_KEYS + f" WHERE m.{column} IN (SELECT {column} FROM _ids)")

    def stale_blocks(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT DISTINCT block FROM stale_blocks").fetchall()}

    def cell_regions(self, cells: Iterable[str]) -> dict[str, str]:
        """The stored region of each of ``cells`` that one holds."""
        return dict(self._joined_rows("cell", cells, "SELECT c.cell, c.block FROM region_cells c JOIN _ids USING (cell)"))

    def block_members(self, blocks: Iterable[str]) -> dict[str, list[str]]:
        """Stored region -> the ids of the mentions labelled with it."""
        out: dict[str, list[str]] = {}
        for b, mid in self._joined_rows("block", blocks, "SELECT m.block, m.id FROM event_mentions m JOIN _ids USING (block)"):
            out.setdefault(b, []).append(mid)
        return out

    @_roomy
    def conflict_candidates(self, probes: pd.DataFrame) -> list[str]:
        """Ids of dated own-sentence mentions a conflict link could join to one of ``probes``
        (type, start, end, published): same type, dates within 400 days (a slip of a year
        or of one unit, by month), published within ``regions.CONFLICT_PUBLISHED_WITHIN``
        days or unknown. A superset: ``regions.conflict_links`` decides."""
        from timeline.regions import CONFLICT_PUBLISHED_WITHIN

        self.con.register("_probe", probes)
        try:
            return [r[0] for r in self.con.execute(f"""
                SELECT DISTINCT m.id FROM event_mentions m JOIN _probe p ON m.type = p.type
                LEFT JOIN documents d ON d.id = m.doc_id
                WHERE m.date_source = 'same_clause' AND m.value IS NOT NULL
                  AND m.start <= p."end" + 400 AND m."end" >= p.start - 400
                  AND (p.published IS NULL OR d.published IS NULL
                       OR abs(date_diff('day', d.published, p.published)) <= {CONFLICT_PUBLISHED_WITHIN})
                ORDER BY m.id""").fetchall()]
        finally:
            self.con.unregister("_probe")

    @_roomy
    def stored_links(self) -> list[tuple[str, str, str | None, str | None]]:
        """The stored conflict links between mentions that still exist, with each one's cluster."""
        return self.con.execute("""SELECT l.a, l.b, ma.cluster, mb.cluster FROM conflict_links l
                                   JOIN event_mentions ma ON ma.id = l.a JOIN event_mentions mb ON mb.id = l.b"""
                                ).fetchall()

    @_roomy
    def unsettled_labels(self) -> list[tuple[str, str | None, str | None]]:
        """id, cluster, event_id of the labelled mentions whose event is missing, stale, or
        a merge of several clusters (which a conflict merge must confirm)."""
        return self.con.execute("""SELECT id, cluster, event_id FROM event_mentions
                                   WHERE block IS NOT NULL AND (event_id IS NULL OR event_id IS DISTINCT FROM cluster
                                         OR event_id IN (SELECT event_id FROM stale_events))""").fetchall()

    def block_count(self) -> int:
        return self.con.execute("SELECT count(DISTINCT block) FROM event_mentions").fetchall()[0][0]

    @_roomy
    def _joined_rows(self, column: str, values: Iterable[str], sql: str) -> list[tuple]:
        self.con.register("_ids", pd.DataFrame({column: pd.Series(sorted(set(values)), dtype="object")}))
        try:
            return self.con.execute(sql).fetchall()
        finally:
            self.con.unregister("_ids")

    def mentions_by_id(self, ids: list[str]) -> tuple[list[str], list[tuple]]:
        """Full event-mention rows of ``ids`` (what reconciliation reads, with each one's
        labels: event_id, block, cluster, pos, seed): column names, rows."""
        return self._joined_records("id", ids, "SELECT m.* FROM event_mentions m JOIN _ids USING (id)")

    def mentions_of_clusters(self, clusters: list[str]) -> tuple[list[str], list[tuple]]:
        """Full event-mention rows of the stored first-stage events ``clusters``, with
        their labels, in each event's order: column names, rows."""
        return self._joined_records("cluster", clusters, "SELECT m.* FROM event_mentions m "
                                                         "JOIN _ids USING (cluster) ORDER BY m.cluster, m.pos")

    @_roomy
    def _joined_records(self, column: str, values: list[str], sql: str) -> tuple[list[str], list[tuple]]:
        self.con.register("_ids", pd.DataFrame({column: pd.Series(values, dtype="object")}))
        try:
            cur = self.con.execute(sql)
            return [d[0] for d in cur.description], cur.fetchall()
        finally:
            self.con.unregister("_ids")

    def document_meta(self, doc_ids: Iterable[str]) -> pd.DataFrame:
        """id, published, source of some documents (no text)."""
        return self._joined("id", sorted(set(doc_ids)),
                            "SELECT d.id, d.published, d.source FROM documents d JOIN _ids USING (id)")

    @_roomy
    def _joined(self, column: str, values: list[str], sql: str) -> pd.DataFrame:
        """``sql`` run beside a table ``_ids`` whose one column ``column`` holds ``values``."""
        self.con.register("_ids", pd.DataFrame({column: pd.Series(values, dtype="object")}))
        try:
            return self.con.execute(sql).df()
        finally:
            self.con.unregister("_ids")

    @_roomy
    def update_events(self, events: pd.DataFrame, event_actors: pd.DataFrame, assignments: pd.DataFrame,
                      replaced: Iterable[str], *, finish: bool = True, renamed: pd.DataFrame | None = None,
                      stage: bool = False) -> None:
        """ONE transaction: events ``replaced`` give way to ``events``; ``assignments`` (id,
        event_id, block, cluster, pos, optionally seed) label their mentions (with
        ``stage``: appended to ``staged_labels``, applied by ``apply_staged_labels``); ``renamed``
        (old, new) relabels every mention of region ``old`` with ``new``; with ``finish`` also what
        ``finish_events`` does (the events are then current). Without it the events stay
        marked stale: a reconciliation written in several transactions (one per block of
        regions) finishes with ``finish_events``, and a crash before that leaves a store
        whose rerun completes it."""
        gone = pd.DataFrame({"id": pd.Series(sorted(set(replaced) | set(events["id"])), dtype="object")})
        with self.transaction() as con:
            con.register("_gone", gone)
            con.execute("DELETE FROM events WHERE id IN (SELECT id FROM _gone)").fetchall()
            con.execute("DELETE FROM event_actors WHERE event_id IN (SELECT id FROM _gone)").fetchall()
            con.unregister("_gone")
            self._insert(con, "events", events)
            self._insert(con, "event_actors", event_actors)
            seed = ", seed = _map.seed" if "seed" in assignments.columns else ""
            if stage:  # (without seeds: the mentions keep theirs)
                self._insert(con, "staged_labels", assignments.assign(
                    seeded="seed" in assignments.columns, **({} if seed else {"seed": None})))
                assignments = assignments.iloc[:0]
            for i in range(0, len(assignments), LABEL_ROWS):
                con.register("_map", assignments.iloc[i:i + LABEL_ROWS])
                con.execute("UPDATE event_mentions SET event_id = _map.event_id, block = _map.block, "
                            f"cluster = _map.cluster, pos = _map.pos{seed} FROM _map "
                            "WHERE event_mentions.id = _map.id").fetchall()
                con.unregister("_map")
            if renamed is not None and len(renamed):  # the unchanged events' mentions, region by region
                con.register("_remap", renamed)
                con.execute("UPDATE event_mentions SET block = _remap.new FROM _remap "
                            "WHERE event_mentions.block = _remap.old").fetchall()
                con.unregister("_remap")
            if finish:
                self._finish_events(con)

    @_roomy
    def apply_staged_labels(self) -> int:
        """The labels in ``staged_labels`` written into ``event_mentions``, then the staging
        emptied; returns how many. A transaction per slice of consecutive row ids: each
        UPDATE reads and rewrites only its slice's row groups, and its pending changes fit
        under the working-memory cap (one transaction over 589,524 labels did not fit in
        64MB). An UPDATE per block of regions scattered over the table cost in proportion
        to the whole table, and so did the checkpoint after it (bench/README.md "Staged
        labels"). An UPDATE whose rows come in row-id order is far cheaper (4,000 articles:
        0.4 CPU s in order, 12.9 in the staged order). Killed midway, the slices applied hold
        what the staged rows say and the rerun applies them all again."""
        if not self.con.execute("SELECT count(*) FROM (SELECT 1 FROM staged_labels LIMIT 1)").fetchall()[0][0]:
            return 0
        n = 0
        with self._memory_at_most(LABEL_MEMORY):
            top = self.con.execute("SELECT max(rowid) FROM event_mentions").fetchall()[0][0]
            for lo in range(0, (top or 0) + 1, LABEL_SLICE):
                hi = lo + LABEL_SLICE  # the slice's mentions (few) joined to the staged labels
                with self.transaction() as con:
                    con.execute("CREATE OR REPLACE TEMP TABLE _placed AS SELECT m.r, s.* FROM (SELECT id, rowid AS r "
                                f"FROM event_mentions WHERE rowid >= {lo} AND rowid < {hi}) m "
                                "JOIN staged_labels s USING (id) ORDER BY m.r").fetchall()  # in row order: see below
                    n += con.execute("UPDATE event_mentions SET event_id = p.event_id, block = p.block, "
                                     "cluster = p.cluster, pos = p.pos, "
                                     "seed = CASE WHEN p.seeded THEN p.seed ELSE event_mentions.seed END FROM _placed p "
                                     f"WHERE event_mentions.rowid = p.r AND event_mentions.rowid >= {lo} "
                                     f"AND event_mentions.rowid < {hi}").fetchall()[0][0]
                    con.execute("DROP TABLE _placed").fetchall()
            self.con.execute("DELETE FROM staged_labels").fetchall()
        return int(n)

    @_roomy
    def finish_events(self, plan: RegionPlan | None = None) -> None:
        """ONE transaction: events no mention refers to any more (replaced, or their
        documents deleted) go; the events are current; with ``plan``, the region cells
        and conflict links are brought up to date (and marked current)."""
        with self.transaction() as con:
            self._finish_events(con)
            if plan is not None:
                self._save_plan(con, plan)

    @staticmethod
    def _save_plan(con: duckdb.DuckDBPyConnection, plan: RegionPlan) -> None:
        frames = {"_cells": plan.cells, "_links": plan.links, "_remap": plan.renamed, "_dropped": plan.dropped,
                  "_changed": plan.changed}
        for name, frame in frames.items():
            con.register(name, frame)
        try:
            if plan.full:
                con.execute("DELETE FROM region_cells").fetchall()
                con.execute("DELETE FROM conflict_links").fetchall()
            else:
                con.execute("DELETE FROM region_cells WHERE block IN (SELECT block FROM _dropped)").fetchall()
                con.execute("UPDATE region_cells SET block = _remap.new FROM _remap "
                            "WHERE region_cells.block = _remap.old").fetchall()
                con.execute("DELETE FROM region_cells WHERE cell IN (SELECT cell FROM _cells)").fetchall()
                con.execute("""DELETE FROM conflict_links WHERE a IN (SELECT id FROM _changed)
                               OR b IN (SELECT id FROM _changed) OR a NOT IN (SELECT id FROM event_mentions)
                               OR b NOT IN (SELECT id FROM event_mentions)""").fetchall()
            con.execute("INSERT INTO region_cells SELECT cell, block FROM _cells").fetchall()
            con.execute("INSERT INTO conflict_links SELECT a, b FROM _links").fetchall()
            con.execute("DELETE FROM stale_blocks").fetchall()
            con.execute("INSERT OR REPLACE INTO meta VALUES ('regions_plan', ?)", [plan.version]).fetchall()
        finally:
            for name in frames:
                con.unregister(name)

    @staticmethod
    def _finish_events(con: duckdb.DuckDBPyConnection) -> None:
        # events whose every mention is gone (their documents deleted) or was relabelled
        con.execute("DELETE FROM events WHERE id NOT IN "
                    "(SELECT event_id FROM event_mentions WHERE event_id IS NOT NULL)").fetchall()
        con.execute("DELETE FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)").fetchall()
        con.execute("DELETE FROM stale_events").fetchall()
        con.execute("INSERT OR REPLACE INTO meta VALUES ('events_stale', 'false')").fetchall()

    @contextmanager
    def _selection(self, event_ids: list[str] | None) -> Iterator[tuple[str, str, str]]:
        """SQL pieces restricting a read to ``event_ids`` (None: every event): a WHERE on
        ``event_id``, a join giving events their place in the list, and the order it gives."""
        if event_ids is None:
            yield "", "", "e.rowid"
            return
        self.con.register("_sel", pd.DataFrame({"id": pd.Series(list(event_ids), dtype="object"),
                                                "ord": range(len(event_ids))}))
        try:
            yield "WHERE event_id IN (SELECT id FROM _sel)", "JOIN _sel s ON s.id = e.id", "s.ord"
        finally:
            self.con.unregister("_sel")

    def _select_list(self, table: str, prefix: str, names: Iterable[str]) -> str:
        """``prefix."name", ...``; a column this store predates (an older read-only store) is NULL."""
        have = self._columns(table)
        return ", ".join(f'{prefix}"{n}"' if n in have else f'NULL AS "{n}"' for n in names)

    def frame_tables(self, event_ids: list[str] | None = None, with_mentions: bool = True
                     ) -> tuple[pa.Table, pa.Table, pa.Table | None, pa.Table]:
        """The four tables ``timeline.frame.load_frames`` types, joined and aggregated here in
        DuckDB and returned as Arrow (no Python row objects): events with their actors' names
        and ids (event_actors order), mention count and ``date_text`` (the first written date
        among the event's mentions: same value as the event first, then document, sentence);
        event_actors; mentions (``mention_table``; None unless ``with_mentions``); documents
        without text. ``event_ids``: only these events (in this order), their actors and
        mentions, and the documents those mentions cite."""
        actor_id = "CASE WHEN actor_id IS NULL OR actor_id = '' THEN '?' || coalesce(name, 'None') ELSE actor_id END"
        ev_cols = self._select_list("events", "e.", (
            "id", "title", "type", "modality", "start", "end", "precision", "value", "mod", "countries",
            "n_sources", "sources", "conflict", "conflict_note", "confidence", "salience"))
        ext_id = "ext_id" if "ext_id" in self._columns("documents") else "NULL"
        with self._selection(event_ids) as (only, ev_join, order):
            events = self._arrow(f"""
                WITH ea AS (SELECT event_id, list(name ORDER BY rowid) AS names,
                                   list({actor_id} ORDER BY rowid) AS ids
                            FROM event_actors {only} GROUP BY event_id),
                     mc AS (SELECT m.event_id, count(*) AS n_mentions,
                                   arg_min(m.timex_text, (m.value IS DISTINCT FROM e.value, m.doc_id, m.sent_start,
                                                          m.rowid))
                                       FILTER (WHERE m.timex_text IS NOT NULL AND m.timex_text <> '') AS date_text
                            FROM event_mentions m JOIN events e ON e.id = m.event_id {only.replace("event_id", "m.event_id")}
                            GROUP BY m.event_id)
                SELECT {ev_cols}, mc.date_text, coalesce(ea.names, e.actors) AS actors, ea.ids AS actor_ids,
                       coalesce(mc.n_mentions, 0) AS n_mentions
                FROM events e {ev_join} LEFT JOIN ea ON ea.event_id = e.id LEFT JOIN mc ON mc.event_id = e.id
                ORDER BY {order}""")
            actors = self._arrow(f"SELECT * REPLACE ({actor_id} AS actor_id) FROM event_actors {only} "
                                  "ORDER BY rowid")
            cited = "" if event_ids is None else f"WHERE id IN (SELECT doc_id FROM event_mentions {only})"
            documents = self._arrow(f"SELECT id, title, source, published, url, origin, n_chars, {ext_id} AS ext_id "
                                     f"FROM documents {cited} ORDER BY published NULLS LAST, id")
        mentions = self.mention_table(event_ids) if with_mentions else None
        return events, actors, mentions, documents

    #: what the mentions frame reads of each mention (then its document's source, publication
    #: date and own id)
    MENTION_FRAME_COLUMNS = ("id", "event_id", "doc_id", "title", "sentence", "sent_start", "sent_end", "trigger",
                             "type", "modality", "timex_text", "value", "start", "end", "precision", "date_source",
                             "explanation", "confidence", "sentence_index", "trigger_start", "trigger_end",
                             "timex_start", "timex_end")

    def mention_table(self, event_ids: list[str] | None = None, columns: Iterable[str] | None = None) -> pa.Table:
        """Mentions (of ``event_ids``, or all), in stored order, as Arrow: ``columns`` of
        ``MENTION_FRAME_COLUMNS`` and ``source``, ``published``, ``external_id`` (the
        document's), all of them when None."""
        wanted = list(self.MENTION_FRAME_COLUMNS) + ["source", "published", "external_id"] if columns is None \
            else list(columns)
        own = self._select_list("event_mentions", "m.", [c for c in wanted if c in self.MENTION_FRAME_COLUMNS])
        doc = {"source": "d.source", "published": "d.published",
               "external_id": "d.ext_id" if "ext_id" in self._columns("documents") else "NULL"}
        joined = [f"{doc[c]} AS {c}" for c in wanted if c in doc]
        join = "LEFT JOIN documents d ON d.id = m.doc_id" if joined else ""
        with self._selection(event_ids) as (only, _join, _order):
            return self._arrow(f"SELECT {', '.join(x for x in (own, *joined) if x)} FROM event_mentions m {join} "
                                f"{only.replace('event_id', 'm.event_id')} ORDER BY m.rowid")

    def event_id_chunks(self, size: int = 5000, *, types: Iterable[str] = (), modalities: Iterable[str] = (),
                        start: dt.date | None = None, end: dt.date | None = None, include_undated: bool = True,
                        display_order: bool = True) -> Iterator[list[str]]:
        """Ids of the events in display order (start, then id; undated last; or the stored
        order), ``size`` at a time: what ``load_frames(store, ids)`` reads a chunk of. Type,
        modality and date window are filtered here, in SQL; an event is kept when its
        interval overlaps the window (``filters.event_mask``'s rule)."""
        where, params = ["TRUE"], []
        if types := list(types):
            where.append("list_contains(?, type)")
            params.append(types)
        if modalities := list(modalities):
            where.append("list_contains(?, modality)")
            params.append(modalities)
        window = []
        if end is not None:
            window.append("start <= ?")
            params.append(end)
        if start is not None:
            window.append("coalesce(\"end\", start) >= ?")
            params.append(start)
        dated = " AND ".join(["start IS NOT NULL", *window])
        where.append(f"(({dated}) OR start IS NULL)" if include_undated else f"({dated})")
        order = "start NULLS LAST, id" if display_order else "rowid"
        ids = self.con.execute(f"SELECT id FROM events WHERE {' AND '.join(where)} ORDER BY {order}",
                               params).fetchall()  # ids only: a few MB at a million events
        for i in range(0, len(ids), size):
            yield [r[0] for r in ids[i:i + size]]

    def event_counts(self) -> tuple[int, int, int]:
        """(events, dated events, conflicting events)."""
        row = self.con.execute("SELECT count(*), count(start), count(*) FILTER (conflict) FROM events").fetchall()[0]
        return int(row[0]), int(row[1]), int(row[2])

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file so freed blocks are reused, not appended."""
        self.con.execute("CHECKPOINT").fetchall()

    @_roomy
    def compact_if_sparse(self, max_free_share: float = 0.25) -> bool:
        """Rewrite the file when more than ``max_free_share`` of its blocks are free
        (DuckDB reuses freed blocks but rarely gives them back): a copy of every table
        (``COPY FROM DATABASE``) into a new file that then atomically replaces this one.
        A crash before the replace leaves the old file as it was. Returns whether it ran."""
        if self.path == ":memory:":
            return False
        self.checkpoint()
        total, free = self.con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size() "
                                       "WHERE database_name = current_database()").fetchall()[0]
        if not total or free <= max_free_share * total:
            return False
        tmp = self.path + ".compact"
        for leftover in (tmp, tmp + ".wal"):
            if os.path.exists(leftover):
                os.remove(leftover)
        name = self.con.execute("SELECT current_database()").fetchall()[0][0]
        self.con.execute(f"ATTACH '{tmp}' AS _compact").fetchall()
        self.con.execute(f'COPY FROM DATABASE "{name}" TO _compact').fetchall()
        self.con.execute("DETACH _compact").fetchall()
        self.con.close()
        if not os.path.exists(self.path + ".wal"):  # nothing pending that the copy could miss
            os.replace(tmp, self.path)
        self.con = duckdb.connect(self.path)
        return True

    @staticmethod
    def _insert(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame | None) -> None:
        if frame is None or frame.empty:
            return
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
_TABLES = ("documents", "timexes", "actor_mentions", "event_mentions", "events", "event_actors", "extraction_state",
           "stale_events", "region_cells", "conflict_links", "stale_blocks", "staged_labels")
