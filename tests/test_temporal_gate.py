"""Quality gate: the temporal engine on two development corpora must not get worse.

Like trafilatura's eval gate: fixed corpora, TempEval-3 scores, floors pinned at what the
engine achieved. TBAQ (TimeBank + AQUAINT) is news; WikiWars-train (16 history
narratives) is the second corpus, so that a change fitted to news shows up as a loss on
narratives (and the reverse). Skipped with a reason when ../shared/corpora is absent, failed under
TIMELINE_REQUIRE_SHARED=1 (CI).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from timeline.evaluation.timeml import load_tml_dir
from timeline.evaluation.timex import engine_predict, evaluate_predictions, format_table

pytestmark = pytest.mark.slow

# Pinned at what we achieved (minus ~0.005); raising is fine, lowering needs a reason in the
# commit message. TBAQ: 2026-11-25 (value F1 0.8072, strict 0.8839), unchanged by the narrative
# work of issue 11 (0.8070 / 0.8847) and by issue 11b (0.8072 / 0.8854). WikiWars-train: issue 11
# (value F1 0.8047, strict 0.8143; it was 0.5671 / 0.7871 before the story's own time, BC years and
# worded ranges); issue 11b (0.8670 / 0.8744: dash ranges scored as their two ends, as TimeML
# annotates them, seasons, turn of the year, BC stories); issue 11c (TBAQ 0.8086 / 0.8895,
# WikiWars-train 0.8761 / 0.8800: ranges across months, dates that name a thing and spans told
# ahead stay out of the story's year, 'around', periods and ranges of lengths, holidays). Scored
# through the TimeML view (``engine_predict`` writes a dash range as its two ends).
FLOORS = {
    "tbaq": {"value": 0.806, "strict": 0.885, "docs": 256, "gold": 1822},
    "wikiwars": {"value": 0.871, "strict": 0.875, "docs": 16, "gold": 2139},
}
#: sha256 over (relative path, sha256 of the bytes) of every .tml file, in path order: a
#: changed or partial corpus fails the gate instead of moving the score.
CORPUS_SHA256 = {
    "tbaq": "52f9d2233fe8e51a58c3688634f40cc90120f780217374f180ad1272f4c49919",
    "wikiwars": "a7d0f758ddc5627e9a1037fbf17dec0dd33ecf0d69d82b83974898e032d341eb",
}


def corpus_digest(directory: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(directory.rglob("*.tml")):
        h.update(f.relative_to(directory).as_posix().encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


@pytest.mark.parametrize("name", sorted(CORPUS_SHA256))
def test_corpus_is_the_pinned_one(name, request):
    directory = request.getfixturevalue(f"{name}_dir")
    assert corpus_digest(directory) == CORPUS_SHA256[name], f"the gate scores a different {name} than it was pinned on"


@pytest.fixture(scope="module")
def tbaq_scores(tbaq_dir):
    return evaluate_predictions(load_tml_dir(tbaq_dir), engine_predict)


@pytest.fixture(scope="module")
def wikiwars_scores(wikiwars_dir):
    return evaluate_predictions(load_tml_dir(wikiwars_dir), engine_predict)


@pytest.fixture(params=sorted(FLOORS))
def corpus(request):
    return request.param, request.getfixturevalue(f"{request.param}_scores"), FLOORS[request.param]


def test_corpus_is_the_full_corpus(corpus):
    _, scores, floor = corpus
    assert (scores.n_docs, scores.overall.gold) == (floor["docs"], floor["gold"])


def test_value_f1_does_not_drop(corpus):
    name, scores, floor = corpus
    assert scores.overall.value_f1 >= floor["value"], f"{name}\n{format_table(scores)}"


def test_strict_f1_does_not_drop(corpus):
    name, scores, floor = corpus
    assert scores.overall.strict_f1 >= floor["strict"], f"{name}\n{format_table(scores)}"
