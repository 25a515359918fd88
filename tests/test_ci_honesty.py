"""Issue 12, item 9: the quality gates cannot pass by not running."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from test_temporal_gate import CORPUS_SHA256, corpus_digest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
def test_needs_tbaq(tbaq_dir):
    assert tbaq_dir.exists()
"""


def run_probe(tmp_path: Path, require: str | None) -> subprocess.CompletedProcess:
    probe = ROOT / "tests" / f"test_zz_probe_{os.getpid()}_{require}.py"
    probe.write_text(PROBE, encoding="utf-8")
    env = {**os.environ, "TIMELINE_SHARED": str(tmp_path / "no-shared")}
    env.pop("TIMELINE_REQUIRE_SHARED", None)
    if require:
        env["TIMELINE_REQUIRE_SHARED"] = require
    try:
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(probe)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    finally:
        probe.unlink()


def test_9_missing_shared_skips_locally_but_fails_when_required(tmp_path):
    local = run_probe(tmp_path, None)
    assert local.returncode == 0 and "1 skipped" in local.stdout, local.stdout
    required = run_probe(tmp_path, "1")
    assert required.returncode == 1 and "1 error" in required.stdout, required.stdout
    assert "TIMELINE_REQUIRE_SHARED=1 requires it" in required.stdout


def test_9_ci_requires_shared():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export TIMELINE_REQUIRE_SHARED=1" in run.split("make test")[0]


def test_9_the_gate_digest_changes_with_one_byte_of_the_corpus(tmp_path, tbaq_dir):
    assert corpus_digest(tbaq_dir) == CORPUS_SHA256["tbaq"]
    copy = tmp_path / "tbaq"
    shutil.copytree(tbaq_dir, copy)
    first = sorted(copy.rglob("*.tml"))[0]
    first.write_bytes(first.read_bytes().replace(b"</TIMEX3>", b"</TIMEX3> ", 1))
    assert corpus_digest(copy) != CORPUS_SHA256["tbaq"]
    first.unlink()
    assert corpus_digest(copy) != CORPUS_SHA256["tbaq"]


def test_9_playwright_is_imported_not_skipped():
    assert "importorskip" not in (ROOT / "tests" / "test_browser.py").read_text(encoding="utf-8")
