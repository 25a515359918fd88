"""Issue 4 done-criteria on the real seed articles (read from ../shared at run time) and
on the project's sample corpus (data/samples)."""
from __future__ import annotations

from pathlib import Path

import pytest

from timeline.evaluation.events import evaluate

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {
    "scholz-call": ("2024-11-15", "day", None, {"Vladimir Putin", "Olaf Scholz"}),
    "june-proposal": ("2024-06", "month", None, {"Vladimir Putin"}),
    "istanbul-talks": ("2022-03", "month", "END", {"Russia", "Ukraine"}),
    "referendums": ("2022-09", "month", None, {"Russia"}),
    "trump-talks-readiness": ("2024-W45", "week", None, {"Vladimir Putin", "Donald Trump"}),
}


@pytest.fixture(scope="module")
def result(seeds_dir: Path) -> dict:
    return evaluate(seeds_dir.parent / "gold" / "seed_events.yaml", seeds_dir)


def test_five_of_five_required_events(result):
    assert (result["required_found"], result["required_total"]) == (5, 5), result["events"]


@pytest.mark.parametrize("gold_id", sorted(REQUIRED))
def test_required_event_date_precision_actors(result, gold_id):
    value, precision, mod, actors = REQUIRED[gold_id]
    (match,) = [m for m in result["events"] if m["id"] == gold_id]
    ev = match["event"]
    assert (ev["precision"], ev["mod"]) == (precision, mod)
    assert actors <= set(ev["actors"])
    if gold_id == "june-proposal":
        assert ev["value"] in ("2024-06", "2023-06")
    else:
        assert ev["value"] == value


def test_june_proposal_is_one_event_with_a_conflict(result):
    (match,) = [m for m in result["events"] if m["id"] == "june-proposal"]
    ev = match["event"]
    assert ev["conflict"] is True
    assert "2023-06" in ev["conflict_note"] and "2024-06" in ev["conflict_note"]
    # exactly one conflicting event carries the June claims: not two events, not a silent pick
    june = [c for c in result["conflicts"] if "2023-06" in (c["note"] or "") and "2024-06" in (c["note"] or "")]
    assert len(june) == 1


def test_no_not_actors(result, seed_gold):
    assert result["actors"]["false_actors"] == []
    assert result["actors"]["not_actors"] == len(seed_gold["not_actors"])


def test_every_gold_surface_form_maps_to_its_actor(result):
    forms = result["surface_forms"]
    assert forms["misses"] == []
    assert forms["mapped"] == forms["total"] >= 20


def test_actor_recall_is_complete(result):
    assert result["actors"]["recall"] == 1.0


def test_evaluate_cli_prints_the_figures(seeds_dir, capsys):
    from timeline.__main__ import main

    code = main(["evaluate", "timeline", str(seeds_dir.parent / "gold" / "seed_events.yaml")])
    out = capsys.readouterr().out
    assert code == 0
    assert "required events: 5/5" in out
    assert "Date-F1" in out and "false actors (not_actors found): 0" in out and "conflicts:" in out


def test_sample_corpus_planted_date_disagreement_is_a_conflict():
    samples = ROOT / "data" / "samples"
    if not (samples / "README.md").exists():
        pytest.skip("data/samples is absent")
    from timeline.frame import load_frames
    from timeline.ingest import ingest_paths
    from timeline.pipeline import extract_store
    from timeline.store import Store

    with Store(":memory:") as store:
        ingest_paths([samples], store)
        extract_store(store)
        f = load_frames(store)
    ev = f.events
    calls = ev[(ev["type"] == "call_meeting") & ev["conflict"]
               & ev["actors"].map(lambda a: {"Olaf Scholz", "Vladimir Putin"} <= set(a))]
    assert len(calls) == 1, ev[ev["conflict"]][["title", "value", "conflict_note"]]
    call = calls.iloc[0]
    assert call["value"].startswith("2022-1")
    note = call["conflict_note"]
    assert "2022-11" in note and "2022-12" in note
    assert "Eurasia Wire" in note and "Rhine Courier" in note
    claims = f.mentions[f.mentions["event_id"] == call["id"]]
    assert {"Rhine Courier", "Eurasia Wire"} <= set(claims["source"])
    # the current call (15 November 2024) is its own event, reported by several outlets
    current = ev[(ev["type"] == "call_meeting") & (ev["value"] == "2024-11-15")
                 & ev["actors"].map(lambda a: {"Olaf Scholz", "Vladimir Putin"} <= set(a))]
    assert len(current) == 1 and current.iloc[0]["n_sources"] >= 3 and not current.iloc[0]["conflict"]
