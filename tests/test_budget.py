"""The per-document time budget stops runaway work in any thread and leaves nothing behind."""
from __future__ import annotations

import threading
import time

import pytest

from timeline.budget import OverBudget, call_with_budget, document_budget
from timeline.errors import ExtractionFailed


def spin_forever() -> None:
    while True:
        pass


def swallowing() -> None:
    """Code that catches every Exception (as a careless handler would) is still stopped."""
    while True:
        try:
            sum(range(1000))
        except Exception:  # noqa: BLE001
            pass


@pytest.mark.parametrize("fn", [spin_forever, swallowing])
def test_runaway_work_is_stopped_near_its_budget(fn):
    started = time.perf_counter()
    with pytest.raises(OverBudget) as exc:
        call_with_budget(fn, 0.3, what="abc")
    elapsed = time.perf_counter() - started
    assert 0.25 <= elapsed < 5
    assert isinstance(exc.value, ExtractionFailed)
    assert str(exc.value).startswith("document abc: over its time budget of 0.3 s")


def test_work_within_budget_returns_its_value_and_nothing_fires_later():
    assert call_with_budget(lambda a, b: a + b, 0.2, 2, b=3) == 5
    time.sleep(0.4)  # past the budget: the cancelled timer must not interrupt this thread
    assert sum(range(10)) == 45


def test_the_budget_works_in_a_worker_thread():
    out: list[object] = []

    def worker() -> None:
        try:
            call_with_budget(spin_forever, 0.2)
        except OverBudget as exc:
            out.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    t.join(10)
    assert not t.is_alive() and len(out) == 1


def test_errors_of_the_work_itself_pass_through():
    with pytest.raises(ZeroDivisionError):
        call_with_budget(lambda: 1 / 0, 1.0)


def test_default_budget_grows_with_size_and_the_environment_overrides_it(monkeypatch):
    monkeypatch.delenv("TIMELINE_DOC_BUDGET", raising=False)
    assert document_budget(0) == 30.0 and document_budget(4_000_000) == 270.0
    monkeypatch.setenv("TIMELINE_DOC_BUDGET", "2.5")
    assert document_budget(4_000_000) == 2.5


def test_the_model_and_grammar_load_before_a_documents_budget_starts(monkeypatch):
    """Loading is no document's time: a budget firing inside ``import spacy`` once left it
    half-imported for the whole process."""
    import datetime as dt

    import timeline.budget as budget
    from timeline.model import Document
    from timeline.pipeline import Resources, extract_document_within_budget

    seen: list[bool] = []
    real = budget.call_with_budget

    def watching(fn, seconds, *args, **kw):
        seen.append(args[1]._nlp is not None)
        return real(fn, seconds, *args, **kw)

    monkeypatch.setattr(budget, "call_with_budget", watching)
    res = Resources(extractor="open")
    out = extract_document_within_budget(
        Document(id="d", text="Headline\n\nHalvard Motors cut 4,000 jobs on Monday.", published=dt.date(2024, 11, 15)), res)
    assert seen == [True] and out.failed is None and out.event_mentions


def test_documents_parsed_together_keep_their_own_budgets(monkeypatch):
    """The open extractor parses several documents as one batch; a document whose framing
    runs away fails alone, with its own budget in the reason, and the others are extracted."""
    import datetime as dt

    import timeline.pipeline as pipeline
    from timeline.model import Document

    monkeypatch.setenv("TIMELINE_DOC_BUDGET", "1.5")
    real = pipeline.finish

    def finish(prep, sdocs, gazetteer):
        while prep.doc.id == "runaway":
            pass
        return real(prep, sdocs, gazetteer)

    monkeypatch.setattr(pipeline, "finish", finish)
    docs = [Document(id=i, text=f"Headline\n\nHalvard Motors cut {n},000 jobs on Monday.", published=dt.date(2024, 11, 15))
            for i, n in (("a", 4), ("runaway", 5), ("c", 6))]
    out = pipeline.extract_documents(docs, pipeline.Resources(extractor="open"))
    assert [x.doc_id for x in out] == ["a", "runaway", "c"]
    assert out[1].failed is not None and out[1].failed.startswith("over its time budget of 1.5 s")
    assert out[0].failed is None and out[0].event_mentions and out[2].failed is None and out[2].event_mentions
