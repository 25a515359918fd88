"""Shared fixtures. Tests that need ../shared skip with a clear reason when it is absent,
except under ``TIMELINE_REQUIRE_SHARED=1`` (set by ``.ci/run``): then they fail, so the
quality gates can never pass by not running."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Strict mode for the whole test session: a temporal rule handler that raises fails the test
# instead of silently losing its date (users keep the lenient behaviour; timeline/temporal/engine.py).
os.environ["TIMELINE_STRICT"] = "1"

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TIMELINE_SHARED", ROOT.parent / "shared"))
ARTIFACTS = ROOT / "test-artifacts"


REQUIRE_SHARED = "TIMELINE_REQUIRE_SHARED"


def _need(path: Path) -> Path:
    if not path.exists():
        why = f"{path} is absent (the project's ../shared folder is not beside this checkout)"
        if os.environ.get(REQUIRE_SHARED) == "1":
            pytest.fail(f"{why}; {REQUIRE_SHARED}=1 requires it", pytrace=False)
        pytest.skip(why)
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _need(SHARED)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _need(SHARED / "seeds")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    import yaml

    return yaml.safe_load(_need(SHARED / "gold" / "seed_events.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def tbaq_dir() -> Path:
    return _need(SHARED / "corpora" / "tbaq")


@pytest.fixture(scope="session")
def wikiwars_dir() -> Path:
    return _need(SHARED / "corpora" / "wikiwars-train")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def earlier_store(db_path: Path, tmp_path: Path):
    """A store that already holds one document from an earlier run (what a bad batch must not lose)."""
    from timeline.ingest import ingest_paths
    from timeline.store import Store

    earlier = tmp_path / "earlier.txt"
    earlier.write_text("---\npublished: 2022-03-30\nsource: Baltic Ledger\n---\nAn earlier article.", encoding="utf-8")
    with Store(db_path) as s:
        assert ingest_paths([earlier], s).stored == 1
        yield s
