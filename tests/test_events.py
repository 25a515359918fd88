"""Event mentions: sentences, triggers and types, modality, time anchoring, actors, titles.

Texts here are written for the tests (never copied from the seed articles) and run
through the real temporal engine and the real gazetteer.
"""
from __future__ import annotations

import datetime as dt

import pytest

from timeline.actors import Gazetteer
from timeline.events import find_triggers, split_sentences, split_sentences_pysbd
from timeline.model import Document
from timeline.pipeline import Resources, extract_document

FRIDAY = dt.date(2024, 11, 15)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def mentions(text: str, gaz: Gazetteer, published: dt.date | None = FRIDAY, doc_id: str = "t1"):
    doc = Document(id=doc_id, text=text, published=published, source="Test Wire")
    return extract_document(doc, Resources(gaz, extractor="gazetteer")).event_mentions


def one(ms, trigger: str):
    found = [m for m in ms if m.trigger.lower() == trigger.lower()]
    assert found, f"no mention with trigger {trigger!r} in {[m.trigger for m in ms]}"
    return found[0]


# -- sentences ---------------------------------------------------------------------

SPLIT_CASES = [
    ("He flew to the U.S. last night. Then he rested.", ["He flew to the U.S. last night.", "Then he rested."]),
    ("Talks were held in the U.S. The envoy left early.", ["Talks were held in the U.S.", "The envoy left early."]),
    ("The U.S. President Joe Biden met Gen. Smith. It went well.",
     ["The U.S. President Joe Biden met Gen. Smith.", "It went well."]),
    ("A book by J. R. R. Tolkien sold out. Mr. Brown bought No. 5 of it.",
     ["A book by J. R. R. Tolkien sold out.", "Mr. Brown bought No. 5 of it."]),
    ('"We are ready," the minister said. "Are you?" She waited.',
     ['"We are ready," the minister said.', '"Are you?"', "She waited."]),
    ('"The plan is known (...) Any deal must hold," he said. Nobody answered.',
     ['"The plan is known (...) Any deal must hold," he said.', "Nobody answered."]),
    ("He said no. Then he left.", ["He said no.", "Then he left."]),
]


@pytest.mark.parametrize("text,expected", SPLIT_CASES)
def test_regex_splitter_survives_abbreviations_initials_quotes(text, expected):
    sents = split_sentences(text)
    assert [s.text for s in sents] == expected
    for s in sents:
        assert text[s.start:s.end] == s.text


@pytest.mark.parametrize("text,expected", SPLIT_CASES[:4])
def test_pysbd_variant_has_the_same_contract(text, expected):
    sents = split_sentences_pysbd(text)
    assert [s.text for s in sents] == expected
    assert all(text[s.start:s.end] == s.text for s in sents)


def test_paragraphs_blank_lines_and_one_line_paragraphs():
    text = "Headline Without A Period\n\nFirst para one. First para two.\nSecond para here.\n\nThird para."
    sents = split_sentences(text)
    assert [(s.text, s.paragraph) for s in sents] == [
        ("Headline Without A Period", 0), ("First para one.", 1), ("First para two.", 1),
        ("Second para here.", 2), ("Third para.", 3),
    ]


def test_soft_wrapped_lines_stay_one_sentence():
    text = "The minister said that the negotiations over the grain corridor, which had\nstalled for months, would resume."
    assert len(split_sentences(text)) == 1


# -- triggers and types -------------------------------------------------------------

@pytest.mark.parametrize("text,etype", [
    ("Olaf Scholz telephoned Vladimir Putin.", "call_meeting"),
    ("The leaders met in Ankara.", "call_meeting"),
    ("Delegations resumed peace talks.", "negotiation"),
    ("Kyiv rejected the offer.", "refusal"),
    ("Moscow demanded guarantees.", "demand"),
    ("The sides signed a treaty.", "agreement"),
    ("The minister threatened retaliation.", "threat"),
    ("Troops invaded the region.", "military_action"),
    ("Residents voted in a referendum.", "vote_referendum"),
    ("Brussels imposed new sanctions.", "sanction"),
    ("Allies pledged air defence systems.", "aid_supply"),
    ("The spokesman said nothing new.", "statement"),
])
def test_trigger_lexicon_maps_words_to_types(text, etype):
    assert etype in {t.type for t in find_triggers(text)}


def test_bare_state_noun_and_singular_talk_are_not_triggers():
    assert find_triggers("The state of the talk was about border regions.") == []


# -- modality ---------------------------------------------------------------------

@pytest.mark.parametrize("text,trigger,modality", [
    ("Vladimir Putin will meet Olaf Scholz next week.", "meet", "planned"),
    ("Vladimir Putin expressed readiness for talks with Donald Trump.", "talks", "planned"),
    ("If Ukraine withdrew, Russia would sign a ceasefire.", "ceasefire", "proposed"),
    ("Russia offered a ceasefire.", "ceasefire", "proposed"),
    ("Russia has never attacked the port, Moscow said.", "attacked", "refused"),
    ("Ukraine rejected the plan.", "rejected", "occurred"),
    ("According to officials, Russia attacked the port.", "attacked", "reported"),
    ("Russia attacked the port.", "attacked", "occurred"),
])
def test_modality(text, trigger, modality, gaz):
    assert one(mentions(text, gaz), trigger).modality == modality


# -- time anchoring ----------------------------------------------------------------

def test_date_in_the_same_sentence_and_actors_with_roles(gaz):
    ms = mentions("On Friday, Olaf Scholz spoke with Vladimir Putin about the war.", gaz)
    call = one(ms, "spoke with")
    assert call.type == "call_meeting"
    assert call.date_source == "same_clause"
    assert (call.timex.value, call.timex.granularity) == ("2024-11-15", "day")
    assert {(a.name, a.role) for a in call.actors} == {("Olaf Scholz", "participant"), ("Vladimir Putin", "participant")}


def test_nearest_date_to_the_trigger_wins(gaz):
    text = ("Vladimir Putin said today that his proposal, made in June of last year, "
            "still stands.")
    ms = mentions(text, gaz)
    assert one(ms, "said").timex.value == "2024-11-15"
    assert one(ms, "proposal").timex.value == "2023-06"


def test_narrative_time_carries_within_a_paragraph_only(gaz):
    text = ("Headline about the meeting\n\n"
            "Emmanuel Macron met Olaf Scholz in Berlin on 3 March 2023. "
            "The two leaders discussed sanctions against Russia.\n\n"
            "Elsewhere, Emmanuel Macron has criticised sanctions.")
    ms = mentions(text, gaz)
    met = one(ms, "met")
    assert met.timex.value == "2023-03-03" and met.date_source == "same_clause"
    carried = [m for m in ms if m.trigger.lower() == "sanctions" and m.sent_start == met.sent_end + 1]
    assert carried and carried[0].date_source == "narrative" and carried[0].timex.value == "2023-03-03"
    later = [m for m in ms if m.trigger.lower() == "sanctions" and m.sent_start > carried[0].sent_end]
    assert later and later[0].timex is None and later[0].date_source == "none"


def test_reporting_verb_in_the_lede_is_dated_to_publication_elsewhere_undated(gaz):
    text = ("Vladimir Putin said the West was to blame for the war.\n\n"
            "Olaf Scholz met aides.\n\n"
            "Vladimir Putin said the talks were over.")
    ms = [m for m in mentions(text, gaz) if m.trigger == "said"]
    assert ms[0].date_source == "publication" and ms[0].timex.value == "2024-11-15"
    assert ms[0].timex.rule == "lede_reporting_verb"
    assert ms[1].timex is None and ms[1].date_source == "none"


def test_first_time_in_a_duration_yields_the_previous_occurrence(gaz):
    ms = mentions("On Friday, Olaf Scholz spoke with Vladimir Putin for the first time in nearly two years.", gaz)
    prev = [m for m in ms if m.timex is not None and m.timex.rule == "first_time_in_duration"]
    assert len(prev) == 1
    t = prev[0].timex
    assert (t.value, t.granularity, t.mod) == ("2022-11", "month", "APPROX")
    assert "nearly two years" in t.explanation
    assert {a.name for a in prev[0].actors} == {"Olaf Scholz", "Vladimir Putin"}


def test_without_publication_date_relative_dates_stay_undated(gaz):
    ms = mentions("On Friday, Olaf Scholz spoke with Vladimir Putin.", gaz, published=None)
    assert one(ms, "spoke with").timex is None


def test_durations_alone_do_not_date_an_event(gaz):
    ms = mentions("Olaf Scholz met Vladimir Putin for two hours.", gaz, published=None)
    assert one(ms, "met").timex is None


# -- actors ------------------------------------------------------------------------

def test_passive_agent_is_the_subject(gaz):
    ms = mentions("The Russian president backed a plan proposed by Moscow in June.", gaz)
    prop = one(ms, "proposed")
    assert [a.name for a in prop.actors] == ["Russia"]
    assert prop.timex.value == "2024-06"


def test_pronoun_subject_is_the_last_person_named(gaz):
    text = "Olaf Scholz met aides on Monday. He said the plan was sound."
    said = one(mentions(text, gaz), "said")
    assert [(a.name, a.role) for a in said.actors] == [("Olaf Scholz", "speaker")]


def test_definite_reference_inherits_the_actors_of_the_same_trigger(gaz):
    text = "Russia and Ukraine held negotiations, pointing to the negotiations in Istanbul at the end of March 2022."
    ms = [m for m in mentions(text, gaz) if m.type == "negotiation"]
    last = ms[-1]
    assert {a.name for a in last.actors} == {"Russia", "Ukraine"}
    assert (last.timex.value, last.timex.mod) == ("2022-03", "END")


# -- evidence, ids, titles -----------------------------------------------------------

def test_evidence_offsets_title_and_stable_ids(gaz):
    text = ("Headline\n\nPresident Vladimir Putin expressed readiness last week for talks with "
            "U.S. President Donald Trump, who promised to end the war quickly.")
    ms = mentions(text, gaz)
    again = mentions(text, gaz)
    assert [m.id for m in ms] == [m.id for m in again]
    assert len({m.id for m in ms}) == len(ms)
    talks = one(ms, "talks")
    assert text[talks.sent_start:talks.sent_end] == talks.sentence
    assert talks.timex.value == "2024-W45"
    assert {a.name for a in talks.actors} == {"Vladimir Putin", "Donald Trump"}
    words = talks.title.split()
    assert 3 <= len(words) <= 12
    assert "last week" not in talks.title  # the date is shown apart from the title
    assert all(w.strip(".,") in talks.sentence for w in words)
    assert 0 < talks.confidence <= 1


def test_event_noun_as_object_does_not_take_the_sentence_subject(gaz):
    ms = mentions("Olaf Scholz condemned the invasion of Ukraine on Friday.", gaz)
    invasion = one(ms, "invasion")
    assert "Olaf Scholz" not in {a.name for a in invasion.actors}
    own = mentions("Vladimir Putin reaffirmed his peace proposal on Friday.", gaz)
    assert [a.name for a in one(own, "proposal").actors] == ["Vladimir Putin"]  # "his": the subject's own


def test_light_verb_keeps_its_subject(gaz):
    ms = mentions("Sweden signed the treaty on Friday.", gaz)
    assert [a.name for a in one(ms, "treaty").actors] == ["Sweden"]
