"""Issue 12, item 5: one writer, many readers, with real processes and a real app.

DuckDB lets one process hold the file read-write and then locks every other process
out (readers too). The store waits a bounded time for the lock, with one progress line
naming the holder, then fails with one line (exit 3, ``StoreBusy``); the app never
keeps a connection open. Nothing is lost in any of these cases.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from timeline.errors import StoreBusy
from timeline.ingest import ingest_paths
from timeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

HOLD = """
import sys, time
from timeline.store import Store
s = Store(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
s.close()
"""


def article(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(f"---\npublished: 2024-11-15\nsource: Wire\n---\n{body}", encoding="utf-8")
    return p


def hold(db: Path, seconds: float) -> subprocess.Popen:
    """A process holding the store's write lock for ``seconds``."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def ingest(*args: str, wait: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "timeline", "ingest", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TIMELINE_LOCK_WAIT": str(wait)})


def texts(db: Path) -> set[str]:
    with Store(db, read_only=True) as s:
        return {d.text for d in s.iter_documents()}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    with Store(path) as s:
        ingest_paths([article(tmp_path / "first", "a.txt", "Already stored.")], s)
    return path


def test_5_an_ingest_waits_for_a_writer_with_a_progress_line_then_lands(tmp_path, db):
    holder = hold(db, 15)
    proc = ingest(str(article(tmp_path / "new", "b.txt", "Second article.")), "--db", str(db), wait=60)
    out, err = proc.communicate(timeout=120)
    holder.wait(timeout=30)
    assert proc.returncode == 0, err
    assert f"waiting for the store {db}: held by process {holder.pid}" in err
    assert "Traceback" not in err
    assert texts(db) == {"Already stored.", "Second article."}


def test_5_a_busy_store_fails_with_one_line_naming_the_holder_and_loses_nothing(tmp_path, db):
    holder = hold(db, 30)
    try:
        proc = ingest(str(article(tmp_path / "new", "b.txt", "Never written.")), "--db", str(db), wait=1)
        out, err = proc.communicate(timeout=60)
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    assert proc.returncode == 3, err
    lines = err.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("waiting for the store"), err
    assert lines[1].startswith(f"error: the store {db} is busy: held by process {holder.pid} (")
    assert "Traceback" not in err
    assert texts(db) == {"Already stored."}


def test_5_two_concurrent_ingests_both_land(tmp_path, db):
    a = [article(tmp_path / "a", f"a{i}.txt", f"Batch A article {i}.") for i in range(150)]
    b = [article(tmp_path / "b", f"b{i}.txt", f"Batch B article {i}.") for i in range(150)]
    procs = [ingest(str(tmp_path / "a"), "--db", str(db), wait=120),
             ingest(str(tmp_path / "b"), "--db", str(db), wait=120)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [r[1] for r in results]
    assert texts(db) == {"Already stored."} | {f"Batch A article {i}." for i in range(150)} \
        | {f"Batch B article {i}." for i in range(150)}
    assert len(a) + len(b) == 300


def test_5_readers_wait_too_and_the_store_raises_store_busy_in_process(db):
    holder = hold(db, 30)
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusy) as exc:
            Store(db, read_only=True, wait=0.5, notice=None)
        assert time.monotonic() - started < 10
        assert f"held by process {holder.pid}" in str(exc.value)
    finally:
        holder.terminate()
        holder.wait(timeout=30)


def test_5_cli_writes_while_the_app_is_open_and_the_app_then_shows_them(tmp_path, db, monkeypatch):
    monkeypatch.setenv("TIMELINE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    at.switch_page("pages/sources.py").run()
    assert at.subheader[0].value == "Documents (1)"
    for command in (["ingest", str(article(tmp_path / "new", "b.txt", "Written by the CLI.")), "--db", str(db)],
                    ["extract", "--db", str(db)], ["events", "--db", str(db)]):
        res = subprocess.run([sys.executable, "-m", "timeline", *command], cwd=ROOT, capture_output=True,
                             text=True, timeout=300, env={**os.environ, "TIMELINE_LOCK_WAIT": "5"})
        assert res.returncode == 0, (command, res.stderr)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.subheader[0].value == "Documents (2)"


def test_5_an_app_write_while_the_cli_holds_the_store_shows_one_line_and_loses_nothing(db, monkeypatch):
    monkeypatch.setenv("TIMELINE_DB", str(db))
    monkeypatch.setenv("TIMELINE_LOCK_WAIT", "1")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/sources.py").run()
    holder = hold(db, 60)
    try:
        at.text_area(key="paste_text").input("Pasted while the CLI writes.")
        at.form_submit_button[1].click().run()
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and f"is busy: held by process {holder.pid}" in errors[0], errors
    assert "\n" not in errors[0]
    assert texts(db) == {"Already stored."}
    at.text_area(key="paste_text").input("Pasted after the CLI finished.")
    at.form_submit_button[1].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert texts(db) == {"Already stored.", "Pasted after the CLI finished."}
