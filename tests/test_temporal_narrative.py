"""Narrative time (tests/corpus/narrative.yaml): yearless dates follow the story's last
written year in history texts and news background paragraphs, reporting clauses stay on
the publication date; the document type is detected or set; explanations say what was
followed. Plus the property that no narrative anchor moves a reporting-clause weekday."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.temporal import DOC_TYPES, detect_doc_type, find_timexes

CORPUS = Path(__file__).with_name("corpus") / "narrative.yaml"
CASES = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


def _date(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def test_corpus_has_forty_passages_of_both_kinds():
    assert len(CASES) >= 40
    assert sum(1 for c in CASES if len(c["e"]) >= 2) >= 35  # a passage: an anchor and what follows it
    assert {detect_doc_type(c["t"], _date(c.get("p"))) for c in CASES} == set(DOC_TYPES)


@pytest.mark.parametrize("case", CASES, ids=[c["t"][:50] for c in CASES])
def test_narrative_case(case: dict):
    published = _date(case.get("p"))
    found = {t.text: t for t in find_timexes(case["t"], published, doc_type=case.get("d"))}
    got = {k: (found[k].value if k in found else "<not found>") for k in case["e"]}
    assert got == case["e"], [t.explanation for t in found.values()]
    if "k" in case:
        assert detect_doc_type(case["t"], published) == case["k"]


def test_explanation_names_what_the_date_followed():
    text = "The armistice talks opened in 1954. Both armies held their lines. On November 12 the delegations signed."
    t = next(t for t in find_timexes(text, dt.date(2009, 12, 19)) if t.text == "November 12")
    assert t.value == "1954-11-12" and t.anchor == "previous"
    assert t.explanation.startswith("'November 12' -> 1954-11-12: follows '1954' two sentences earlier")


def test_narrative_resolves_without_a_publication_date():
    t = find_timexes("The war ended in 1918. On 11 November the guns fell silent.", None, doc_type="narrative")
    assert [(x.text, x.value, x.resolved) for x in t] == [("1918", "1918", True),
                                                           ("11 November", "1918-11-11", True)]


def test_detect_doc_type_history_vs_dateline_news():
    history = ("The kingdom was united in 1707. Its first parliament met in 1708, and in 1715 a rising in the "
               "north was put down. The union was tested again in 1745, when an army marched south.")
    news = ("BERLIN (Reuters) - The chancellor said on Friday that talks would resume next week. "
            "The last meeting, in 2019, ended without a deal, officials said.")
    assert detect_doc_type(history, dt.date(2024, 11, 15)) == "narrative"
    assert detect_doc_type(history, None) == "narrative"
    assert detect_doc_type(news, dt.date(2024, 11, 15)) == "news"
    assert detect_doc_type("", None) == "news"


def test_doc_type_must_be_known():
    with pytest.raises(ValueError, match="doc_type must be one of news, narrative"):
        find_timexes("In 1954 ...", None, doc_type="history")


def test_news_background_far_from_its_year_stays_on_publication():
    text = ("The mission was approved in May 2014. The debate was long. Many spoke. Some left early.\n\n"
            "On 29 May the ministers met again, the spokesman said.")
    t = {x.text: x.value for x in find_timexes(text, dt.date(2024, 6, 3), doc_type="news")}
    assert t["29 May"] == "2024-05-29"  # another paragraph: the publication's May, not 2014's


# ---- property: a reporting-clause weekday never follows the story
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@settings(max_examples=150, deadline=None)
@given(published=st.dates(dt.date(1900, 1, 8), dt.date(2100, 12, 24)),
       year=st.integers(1000, 2999), month=st.integers(1, 12), day=st.integers(1, 28),
       weekday=st.sampled_from(_WEEKDAYS), verb=st.sampled_from(("said", "told reporters", "announced")),
       doc_type=st.sampled_from((None, "news", "narrative")), first=st.booleans())
def test_reporting_weekday_stays_in_the_publication_week(published, year, month, day, weekday, verb,
                                                         doc_type, first):
    story = f"The treaty was signed on {day} {_MONTHS[month - 1]} {year}. In March the border opened. "
    clause = f"The minister {verb} on {weekday} that the talks would continue. "
    text = clause + story if first else story + clause
    alone = [t for t in find_timexes(clause, published, doc_type=doc_type) if t.text == weekday]
    found = [t for t in find_timexes(text, published, doc_type=doc_type) if t.text == weekday]
    assert len(found) == len(alone) == 1
    assert found[0].value == alone[0].value  # the story changed nothing
    assert abs((dt.date.fromisoformat(found[0].value) - published).days) <= 7
    assert found[0].anchor == "publication"
