"""TimeML reading and TempEval-3 scoring, on small hand-written files with numbers worked out by hand."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json

import pytest

from timeline.errors import UserError
from timeline.evaluation.timeml import load_tml, load_tml_dir
from timeline.evaluation.timex import (
    Span,
    align,
    common_errors,
    evaluate_predictions,
    format_table,
    score,
    write_errors,
    write_predictions,
)

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>DOC1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" functionInDocument="CREATION_TIME">1998-08-07</TIMEX3></DCT>
<TITLE>Title with <TIMEX3 tid="t99" type="DATE" value="1998">1998</TIMEX3></TITLE>
<TEXT>
AT&amp;T <EVENT eid="e1">said</EVENT> &quot;<TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3>&quot; &lt;and&gt; <TIMEX3 tid="t2" type="DURATION" value="P2Y">two years</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture
def tml_doc(tmp_path):
    path = tmp_path / "sub" / "DOC1.tml"
    path.parent.mkdir()
    path.write_text(TML, encoding="utf-8")
    return path


def test_text_is_tag_free_entity_decoded_and_offsets_index_it(tml_doc):
    doc = load_tml(tml_doc)
    assert doc.docid == "DOC1"
    assert doc.text == '\nAT&T said "Friday" <and> two years.\n'
    assert [(t.text, t.type, t.value, t.tid) for t in doc.timexes] == [
        ("Friday", "DATE", "1998-08-07", "t1"), ("two years", "DURATION", "P2Y", "t2")]
    for t in doc.timexes:
        assert doc.text[t.start:t.end] == t.text
    assert doc.timexes[0].start == len('\nAT&T said "')


def test_dct_is_the_creation_time_and_not_a_gold_expression(tml_doc):
    doc = load_tml(tml_doc)
    assert doc.dct == dt.date(1998, 8, 7)
    assert "t0" not in {t.tid for t in doc.timexes} and "t99" not in {t.tid for t in doc.timexes}


def test_dct_with_time_of_day_is_read_as_its_date(tmp_path):
    path = tmp_path / "x.tml"
    path.write_text(TML.replace('value="1998-08-07" functionInDocument', 'value="1998-08-07T06:18:00" functionInDocument'))
    assert load_tml(path).dct == dt.date(1998, 8, 7)


def test_load_dir_is_recursive_and_errors_are_specific(tml_doc, tmp_path):
    assert [d.docid for d in load_tml_dir(tmp_path)] == ["DOC1"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UserError, match="no .tml files"):
        load_tml_dir(empty)
    with pytest.raises(UserError, match="not a folder"):
        load_tml_dir(tmp_path / "absent")
    broken = tmp_path / "broken.tml"
    broken.write_text("<TimeML><TEXT>unclosed")
    with pytest.raises(UserError, match="broken.tml"):
        load_tml(broken)


def S(start, end, type_="DATE", value="X"):
    return Span(start, end, type_, value)


def test_scores_worked_out_by_hand():
    # gold: 4 expressions; predictions: 4 (one exact+right value, one exact+wrong value,
    # one overlapping with right value but wrong type, one spurious); one gold missed.
    gold = {"d": [S(0, 5, "DATE", "2020"), S(10, 15, "DATE", "2021"), S(20, 30, "DURATION", "P2Y"),
                  S(40, 45, "DATE", "2022")]}
    pred = {"d": [S(0, 5, "DATE", "2020"), S(10, 15, "DATE", "2099"), S(22, 30, "DATE", "P2Y"),
                  S(50, 55, "DATE", "2023")]}
    s = score(gold, pred).overall
    assert (s.gold, s.pred, s.strict, s.relaxed, s.value, s.type) == (4, 4, 2, 3, 2, 2)
    assert s.strict_p == s.strict_r == s.strict_f1 == 0.5
    assert s.relaxed_p == s.relaxed_r == s.relaxed_f1 == 0.75
    assert s.value_f1 == pytest.approx(0.75 * 2 / 3)
    assert s.type_f1 == pytest.approx(0.75 * 2 / 3)
    per = score(gold, pred).per_type
    assert (per["DATE"].gold, per["DATE"].pred, per["DATE"].found, per["DATE"].correct_pred) == (3, 4, 2, 3)
    assert per["DATE"].recall == pytest.approx(2 / 3) and per["DATE"].precision == pytest.approx(3 / 4)
    assert per["DURATION"].recall == 1.0 and per["DURATION"].pred == 0 and per["DURATION"].value_accuracy == 1.0


def test_one_prediction_over_two_gold_counts_once():
    gold = {"d": [S(0, 5), S(6, 12)]}
    pred = {"d": [S(0, 12)]}
    s = score(gold, pred).overall
    assert (s.relaxed, s.strict) == (1, 0)
    assert s.relaxed_p == 1.0 and s.relaxed_r == 0.5


def test_alignment_prefers_exact_then_largest_overlap():
    gold = [S(0, 10), S(10, 20)]
    pred = [S(5, 12), S(10, 20)]  # pred 0 overlaps both; pred 1 is exact for gold 1
    assert align(gold, pred) == [(0, 0), (1, 1)]
    assert align([S(0, 10)], [S(2, 4), S(1, 9)]) == [(0, 1)]
    assert align([S(0, 3)], [S(3, 6)]) == []  # touching is not overlapping


def test_missing_document_in_predictions_scores_as_all_missed():
    s = score({"a": [S(0, 2)], "b": [S(0, 2)]}, {"a": [S(0, 2)]}).overall
    assert (s.gold, s.pred, s.strict) == (2, 1, 1)


def test_evaluate_predictions_writes_predictions_and_sorted_errors(tml_doc, tmp_path):
    docs = load_tml_dir(tmp_path)
    text = docs[0].text

    def predict(t, dct):
        assert dct == dt.date(1998, 8, 7)
        i = t.index("Friday")
        j = t.index("two")
        k = t.index("AT&T")
        return [{"start": k, "end": k + 4, "type": "DATE", "value": "X"},
                {"start": i, "end": i + 6, "type": "DATE", "value": "1998-07-31"},
                {"start": j, "end": j + 3, "type": "DURATION", "value": "P2Y"}]

    scores = evaluate_predictions(docs, predict)
    assert [e.kind for e in scores.errors] == ["spurious", "span", "value"]
    out_json, out_tsv = tmp_path / "p.json", tmp_path / "e.tsv"
    write_predictions(scores, out_json)
    write_errors(scores, out_tsv)
    data = json.loads(out_json.read_text())
    assert data["DOC1"][1] == {"start": text.index("Friday"), "end": text.index("Friday") + 6,
                               "type": "DATE", "value": "1998-07-31"}
    rows = list(csv.DictReader(out_tsv.open(encoding="utf-8"), delimiter="\t"))
    assert [r["kind"] for r in rows] == ["spurious", "span", "value"]
    assert rows[2]["gold_value"] == "1998-08-07" and rows[2]["pred_value"] == "1998-07-31"
    assert rows[2]["dct"] == "1998-08-07" and "[[Friday]]" in rows[2]["context"]
    assert rows[1]["gold_text"] == "two years" and rows[1]["pred_text"] == "two"
    assert "strict" in format_table(scores)
    assert [(k, n) for k, n, _ in common_errors(scores)] == [
        ("spurious DATE X", 1), ("span too short", 1),
        ("value DATE 9999-99-99: same form, different value", 1)]


def test_error_rows_carry_the_rule_that_fired(tml_doc, tmp_path):
    docs = load_tml_dir(tmp_path)
    i = docs[0].text.index("Friday")
    pred = [{"start": i, "end": i + 6, "type": "DATE", "value": "1998-07-31",
             "rule": "weekday", "explanation": "the previous Friday"}]
    scores = evaluate_predictions(docs, lambda t, d: pred)
    write_errors(scores, tmp_path / "e.tsv")
    rows = list(csv.DictReader((tmp_path / "e.tsv").open(encoding="utf-8"), delimiter="\t"))
    value = [r for r in rows if r["kind"] == "value"][0]
    assert (value["pred_rule"], value["explanation"]) == ("weekday", "the previous Friday")
    assert [r["kind"] for r in rows] == ["missed", "value"]


def test_cli_runs_the_engine(tml_doc, tmp_path, capsys):
    from timeline.evaluation.timex import cli

    args = argparse.Namespace(gold_dir=str(tmp_path), predict=str(tmp_path / "p.json"), errors=str(tmp_path / "e.tsv"))
    assert cli(args) == 0
    assert "value F1" in capsys.readouterr().out
    assert "DOC1" in json.loads((tmp_path / "p.json").read_text())
