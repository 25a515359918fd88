"""TimeML as a source format and the SemEval-2015 TimeLine (Track A) export.

The articles here are written for the test (invented companies), in the tokenised
TimeML form the task distributes: one ``<s id>`` per sentence, tokens split by spaces.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from timeline.__main__ import main
from timeline.events import doc_sentences, given_sentences, token_at
from timeline.export.semeval import date_string, entity_lines, file_name, _DocIndex
from timeline.ingest import ingest_paths
from timeline.model import Document
from timeline.store import Store
from timeline.timeml import TimeMLError, join_tokens, read_timeml

TOKENISED = """<?xml version='1.0' encoding='utf-8'?>
<TimeML><DOCID>901</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2011-03-04">2011-03-04</TIMEX3></DCT>
<EXTRAINFO>Northwind Bank buys Zephyr Aerospace for $ 2 billion</EXTRAINFO>
<TEXT><s id="0">Northwind Bank buys Zephyr Aerospace for $ 2 billion</s><s id="1">March 4 , 2011</s><s id="2">Northwind Bank bought Zephyr Aerospace on Tuesday , the lender 's chief executive Ana Ortiz said .</s><s id="3">Zephyr Aerospace had outsold its rivals in 2009 , and " nobody expected it " .</s><s id="4">Its re-opened plant employs 300 .</s></TEXT>
</TimeML>"""

INLINE = """<TimeML><DOCID>APW-77</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-06" functionInDocument="CREATION_TIME">02/06/1998</TIMEX3></DCT>
<TEXT>The port of Vessa <EVENT eid="e1" class="OCCURRENCE">reopened</EVENT> on <TIMEX3 tid="t1" type="DATE" value="1998-02-05">Thursday</TIMEX3>, officials said.
Ships had waited for <TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3>.</TEXT></TimeML>"""


def test_tokens_are_joined_as_written_and_keep_their_spans():
    text, spans = join_tokens(["the", "lender", "'s", "chief", "(", "CEO", ")", "said", ",", '"', "no", '"', "."])
    assert text == 'the lender\'s chief (CEO) said, "no".'
    assert [text[a:b] for a, b in spans] == ["the", "lender", "'s", "chief", "(", "CEO", ")", "said", ",",
                                            '"', "no", '"', "."]


def test_timeml_with_sentences_keeps_the_segmentation_ids_and_tokens():
    art = read_timeml(TOKENISED)
    assert (art.docid, art.published) == ("901", dt.date(2011, 3, 4))
    assert art.title == "Northwind Bank buys Zephyr Aerospace for $2 billion"
    lines = art.text.split("\n")
    assert lines[1] == "March 4, 2011"
    assert lines[2] == "Northwind Bank bought Zephyr Aerospace on Tuesday, the lender's chief executive Ana Ortiz said."
    sents = given_sentences(art.sentences)
    assert [s[0] for s in sents] == ["0", "1", "2", "3", "4"]
    assert [art.text[a:b] for _i, a, b, _t in sents] == lines
    doc = Document(id="x", text=art.text, sentences=art.sentences)
    assert [s.text for s in doc_sentences(doc)] == lines
    hyphen = art.text.index("re-opened")
    assert token_at(doc, hyphen + 3) == "re-opened"  # the source's token, not the parser's "opened"
    assert token_at(doc, art.text.index("lender's") + 6) == "'s"


def test_timeml_without_sentences_and_with_inline_tags_is_plain_text():
    art = read_timeml(INLINE)
    assert art.docid == "APW-77" and art.published == dt.date(1998, 2, 6) and art.sentences is None
    assert art.text == ("The port of Vessa reopened on Thursday, officials said.\n"
                        "Ships had waited for two weeks.")
    doc = Document(id="y", text=art.text)
    assert [s.text for s in doc_sentences(doc)][:2] == ["The port of Vessa reopened on Thursday, officials said.",
                                                        "Ships had waited for two weeks."]
    assert token_at(doc, art.text.index("officials") + 2) == "officials"


@pytest.mark.parametrize("raw, reason", [
    ("<TimeML><DOCID>1</DOCID></TimeML>", "no <TEXT> element"),
    ("<TimeML><TEXT>unclosed", "not well-formed XML"),
    ("<TimeML><TEXT><s id='0'> </s></TEXT></TimeML>", "every <s> in <TEXT> is empty"),
])
def test_unusable_timeml_says_why(raw, reason):
    with pytest.raises(TimeMLError, match=reason):
        read_timeml(raw)


def test_ingest_reads_timeml_and_a_bad_file_loses_nothing(tmp_path):
    (tmp_path / "901.tml").write_text(TOKENISED, encoding="utf-8")
    (tmp_path / "apw.tml").write_text(INLINE, encoding="utf-8")
    (tmp_path / "broken.tml").write_text("<TimeML><TEXT>cut off", encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest_paths([tmp_path], store)
        assert (report.stored, report.rejected) == (2, 1)
        bad = [line for line in report.lines if line.status == "rejected"][0]
        assert "broken.tml" in bad.path and bad.reason.startswith("TimeML: not well-formed XML")
        docs = {d.ext_id: d for d in store.iter_documents()}
    assert set(docs) == {"901", "APW-77"}
    assert docs["901"].published == dt.date(2011, 3, 4) and docs["901"].sentences
    assert docs["APW-77"].sentences is None and docs["APW-77"].published == dt.date(1998, 2, 6)


@pytest.mark.parametrize("start, end, precision, want", [
    (dt.date(2007, 2, 28), dt.date(2007, 2, 28), "day", "2007-02-28"),
    (dt.date(2007, 2, 28), dt.date(2007, 2, 28), "time", "2007-02-28"),
    (dt.date(2007, 10, 1), dt.date(2007, 10, 31), "month", "2007-10-XX"),
    (dt.date(2007, 1, 1), dt.date(2007, 12, 31), "year", "2007-XX-XX"),
    (dt.date(2007, 4, 1), dt.date(2007, 6, 30), "quarter", "2007-XX-XX"),
    (dt.date(2007, 3, 5), dt.date(2007, 3, 11), "week", "2007-03-XX"),
    (dt.date(1990, 1, 1), dt.date(1999, 12, 31), "decade", "XXXX-XX-XX"),
    (None, None, None, "XXXX-XX-XX"),
])
def test_dates_keep_their_precision(start, end, precision, want):
    assert date_string(start, end, precision) == want


def test_lines_rank_by_date_coarse_first_undated_at_zero():
    docs = [Document(id="d1", text="Acme rose.\nAcme fell.\nAcme won.\nAcme met.", ext_id="77")]
    events = pd.DataFrame({"id": ["a", "b", "c", "d", "e"],
                           "start": [dt.date(2007, 2, 28), dt.date(2007, 1, 1), None, dt.date(2007, 2, 28),
                                     dt.date(2008, 5, 1)],
                           "end": [dt.date(2007, 2, 28), dt.date(2007, 12, 31), None, dt.date(2007, 2, 28),
                                   dt.date(2008, 5, 1)],
                           "precision": ["day", "year", None, "day", "day"]})
    actors = pd.DataFrame({"event_id": ["a", "b", "c", "d", "e"], "actor_id": ["acme", "acme", "acme", "acme", "acme"],
                           "name": ["Acme"] * 5, "role": ["agent", "agent", "agent", "patient", "mentioned"]})
    starts = [0, 11, 22, 32, 0]
    mentions = pd.DataFrame({"event_id": ["a", "b", "c", "d", "e"], "doc_id": ["d1"] * 5, "sent_start": starts,
                             "sentence_index": [0, 1, 2, 3, 0], "trigger_start": [s + 5 for s in starts],
                             "trigger": ["rose", "fell", "won", "met", "rose"]})
    forms = pd.DataFrame({"actor_id": [], "text": []})
    lines = entity_lines("ACME", events, actors, forms, mentions, _DocIndex(docs))
    # "mentioned" (e) is not the entity's event; the year 2007 ranks before a day in it
    assert lines == ["0\tXXXX-XX-XX\t77-2-won", "1\t2007-XX-XX\t77-1-fell",
                     "2\t2007-02-28\t77-0-rose", "2\t2007-02-28\t77-3-met"]
    assert file_name("Boeing 787 Dreamliner") == "boeing_787_dreamliner.txt"


def test_export_semeval_timeline_from_an_extracted_timeml_store(tmp_path, capsys):
    (tmp_path / "901.tml").write_text(TOKENISED, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert main(["ingest", "--db", str(db), str(tmp_path / "901.tml")]) == 0
    assert main(["extract", "--db", str(db)]) == 0
    (tmp_path / "entities.txt").write_text("Zephyr Aerospace\n# a comment\n", encoding="utf-8")
    out = tmp_path / "sys"
    assert main(["export", "--db", str(db), "--format", "semeval-timeline", "--all", "--entity", "Northwind Bank",
                 "--entities", str(tmp_path / "entities.txt"), "--out", str(out)]) == 0
    capsys.readouterr()
    bank = (out / "northwind_bank.txt").read_text(encoding="utf-8").splitlines()
    assert bank[0] == "Northwind Bank"
    # "bought ... on Tuesday" (published Friday 4 March 2011): Tuesday 1 March; sentence 2
    assert any(line.startswith("1\t2011-03-01\t") and "901-2-bought" in line.split("\t") for line in bank[1:]), bank
    zephyr = (out / "zephyr_aerospace.txt").read_text(encoding="utf-8").splitlines()
    assert zephyr[0] == "Zephyr Aerospace"
    assert "2009-XX-XX\t901-3-outsold" in "\n".join(zephyr), zephyr
    # the same mentions, with their offsets, in the JSON export
    assert main(["events", "--db", str(db), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    cited = [ev for r in rows for ev in r["evidence"] if ev["trigger"] == "bought"]
    assert cited and cited[0]["external_id"] == "901" and cited[0]["sentence_index"] == 2


def test_semeval_export_needs_an_entity_and_a_folder(tmp_path, capsys):
    (tmp_path / "901.tml").write_text(TOKENISED, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert main(["ingest", "--db", str(db), str(tmp_path / "901.tml")]) == 0
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "semeval-timeline", "--out", str(tmp_path / "o")]) == 2
    assert "--entity NAME or --entities FILE" in capsys.readouterr().err
    (tmp_path / "afile").write_text("x")
    assert main(["export", "--db", str(db), "--format", "semeval-timeline", "--entity", "X",
                 "--out", str(tmp_path / "afile")]) == 2
    assert "one file per entity into a folder" in capsys.readouterr().err
