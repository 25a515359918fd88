"""Numbers and words that look like dates but are not: the engine must stay silent.

Each sentence lists the substrings that must NOT be (part of) a temporal expression;
other expressions in the sentence may still be found.
"""
from __future__ import annotations

import datetime as dt

import pytest

from timeline.temporal import find_timexes

PUB = dt.date(2024, 11, 15)

CASES = [
    ("The package is worth $48 billion.", ["48", "$48 billion"]),
    # a part of something, not the calendar unit before or after publication
    ("In the last year of the war, the army collapsed.", ["last year", "the last year"]),
    ("The last days of this battle ended the war of movement.", ["days", "last days", "The last days"]),
    ("Shoppers bought winter coats and summer dresses.", ["winter", "summer"]),
    ("Prices fall when spring rains come.", ["fall", "spring"]),
    ("The city hosts the Winter Olympics next.", ["Winter"]),
    ("Families travel home for the Spring Festival.", ["Spring", "the Spring"]),
    ("The children went to summer camp.", ["summer"]),
    ("The fund holds 48 million euros.", ["48"]),
    ("Turnout reached 52 percent.", ["52"]),
    ("Inflation hit 12.5% in the capital.", ["12.5"]),
    ("He was aged 52 when he died.", ["52"]),
    ("A 52-year-old farmer was detained.", ["52-year-old", "52"]),
    ("The six-year-old boy was found.", ["six-year-old"]),
    ("The air force bought new F-16 fighters.", ["16", "F-16"]),
    ("An Su-25 jet was shot down.", ["25"]),
    ("Two MiG-29 aircraft landed.", ["29"]),
    ("A Boeing 747 was diverted.", ["747"]),
    ("Protesters march on the parliament.", ["march"]),
    ("He may go to Brussels.", ["may"]),
    ("We will decide together.", ["We"]),
    ("The committee sat for a long time.", ["sat"]),
    ("The sun rose over the sea.", ["sun"]),
    ("Prices went up to a record.", ["to", "a"]),
    ("It is the second largest city.", ["second"]),
    ("She was the first to arrive.", ["first"]),
    ("Call 555-1987 for details.", ["1987", "555-1987"]),
    ("Dial +44 20 7946 0958 now.", ["7946", "0958"]),
    ("See page 2021 of the report.", ["2021"]),
    ("The rule is set out in section 1998 of the code.", ["1998"]),
    ("The army sent 2,000 troops.", ["2,000", "2"]),
    ("About 1500 people gathered.", ["1500"]),
    ("Police counted 1200 protesters.", ["1200"]),
    ("The convoy of 1800 vehicles moved.", ["1800"]),
    ("The final score was 3-1.", ["3-1"]),
    ("Arsenal won 2:0 at home.", ["2:0"]),
    ("The embassy is at 1600 Pennsylvania Avenue.", ["1600"]),
    ("Flight 2024 was cancelled.", ["2024"]),
    ("Room 1905 was searched.", ["1905"]),
    ("Resolution 2334 was adopted.", ["2334"]),
    ("The stock closed at 12.30 dollars.", ["12.30"]),
    ("The index rose 2.25 points.", ["2.25"]),
    ("Theresa May spoke to reporters.", ["May"]),
    ("The march through the city was peaceful.", ["march"]),
    ("They may march again.", ["may", "march"]),
    ("He won a second term.", ["a second", "second"]),
    ("The ship carried 1,250 tonnes of grain.", ["1,250", "1"]),
    ("The model number is XR-2000.", ["2000"]),
    ("There were 1900 deaths.", ["1900"]),
    ("A sum of 2000 dollars was paid.", ["2000"]),
    ("It costs 1999 rubles.", ["1999"]),
    ("Section 12.2024 applies.", ["2024", "12.2024"]),
    ("Short-term debt and long-term loans rose.", ["Short-term", "long-term"]),
    # product names, scores, page numbers, amounts (issue 11): numbers, not years or centuries
    ("The COVID-19 pandemic closed schools.", ["19", "COVID-19"]),
    ("Covid-19 cases rose sharply.", ["19"]),
    # "overnight" naming a kind of loan: a central bank's rate is no night
    ("The bank cut its key overnight interest rate to 4.75%.", ["overnight"]),
    ("The overnight lending rate was left at 5%.", ["overnight"]),
    ("A Boeing 777 made an emergency landing.", ["777"]),
    ("Leaders met at the G20 summit.", ["20", "G20"]),
    ("The G-20 finance ministers met.", ["20"]),
    ("An Airbus A380 was grounded.", ["380", "A380"]),
    ("The airline ordered the A320neo and the 737 MAX.", ["320", "737"]),
    ("The home side won 21-19 after extra time.", ["21-19", "19"]),
    ("They beat the visitors 2-1.", ["2-1"]),
    ("The team won 1998-1997 on aggregate.", ["1998-1997", "1998"]),
    ("See pages 1914-1918 of the report.", ["1914-1918", "1914"]),
    ("Chapter 19 explains the rules.", ["19"]),
    ("Article 19 of the charter applies.", ["19"]),
    ("The 19 members voted.", ["19"]),
    ("The bill came to $1918.", ["1918"]),
    ("The fee is €1,945.", ["1,945"]),
    ("The shipment weighed 1945 kg.", ["1945"]),
    ("He scored 1917 points this season.", ["1917"]),
    ("He wore shirt number 1966.", ["1966"]),
    # a capitalised word inside a sentence makes the number part of a name
    ("The chair of Local 1520 of the union spoke.", ["1520"]),
    ("The crew of the Orion 1980 mission returned.", ["1980"]),
    ("Office machines still run Windows 2000 there.", ["2000"]),
]

#: ... but a year after words that date it stays one
YEARS_AFTER_WORDS = [
    ("Sales fell in 1998.", "1998"), ("The plant opened in spring 1998.", "1998"),
    ("It was built in AD 1066.", "1066"), ("Sales rose in the first half. Since 1998 they grew.", "1998"),
    ("Targets for FY 2005 were cut.", "2005"), ("Results for Christmas 2004 were strong.", "2004"),
    ("Profits fell. 1998 was a bad year.", "1998"),
]


def test_century_values_come_only_from_century_phrases():
    """A bare number never gives a century; "the 19th century" and "the last century" do."""
    for text in ("The 19 members voted.", "Article 19 applies.", "COVID-19 spread.", "It cost 19 dollars.",
                 "the 19 provinces", "Route 20 was closed.", "In 19 cases the court agreed."):
        assert [t for t in find_timexes(text, PUB) if t.granularity == "century"] == [], text
    found = {t.text: t.value for t in find_timexes("In the 19th century and in the last century.", PUB)}
    assert found == {"the 19th century": "18", "the last century": "19"}


def _covered(found, text: str, needle: str) -> bool:
    i = text.find(needle)
    assert i >= 0, f"test bug: {needle!r} not in {text!r}"
    return any(t.start < i + len(needle) and i < t.end for t in found)


def test_at_least_forty_sentences():
    assert len(CASES) >= 40


@pytest.mark.parametrize("text,not_dates", CASES, ids=[c[0][:40] for c in CASES])
def test_not_a_date(text: str, not_dates: list[str]):
    found = find_timexes(text, PUB)
    for needle in not_dates:
        assert not _covered(found, text, needle), (
            f"{needle!r} taken as a date in {text!r}: {[(t.text, t.value, t.rule) for t in found]}")


@pytest.mark.parametrize("text,year", YEARS_AFTER_WORDS, ids=[c[0][:40] for c in YEARS_AFTER_WORDS])
def test_a_year_after_a_dating_word_stays_a_year(text: str, year: str):
    assert any(year in t.text and t.value.startswith(year) for t in find_timexes(text, PUB)), find_timexes(text, PUB)


def test_overnight_is_the_night_before_unless_it_names_a_loan():
    for text in ("Shares fell after overnight losses in New York.", "Rebels struck overnight."):
        assert [(t.text, t.value) for t in find_timexes(text, PUB)] == [("overnight", "2024-11-14TNI")], text
    assert find_timexes("The central bank left its overnight rate at 5%.", PUB) == []


def test_dateparser_traps_are_avoided():
    """The failures that rule out dateparser.search_dates as a recogniser."""
    text = "We said the $48 billion plan, first made in September 2022, was dead."
    found = find_timexes(text, PUB)
    assert [(t.text, t.value) for t in found] == [("September 2022", "2022-09")]


SHARES_AND_TITLES = [
    ("The island imports about three-quarters of its grain.", ["three-quarters"]),
    ("Funds hold more than a quarter of the bond market.", ["a quarter"]),
    ('The minister told CBS\'s "60 Minutes" he would stay.', ["60 Minutes"]),
    ('She spoke on ABC\'s "This Week" programme.', ["This Week"]),
]


@pytest.mark.parametrize("text,not_dates", SHARES_AND_TITLES, ids=[c[0][:40] for c in SHARES_AND_TITLES])
def test_shares_and_quoted_titles_are_not_durations(text: str, not_dates: list[str]):
    found = find_timexes(text, PUB)
    for needle in not_dates:
        assert not _covered(found, text, needle), [(t.text, t.value, t.rule) for t in found]


def test_a_quarter_of_a_year_is_still_a_period():
    text = "Output fell in the first two quarters of 1990 and in the third quarter of last year."
    found = {t.text: t.value for t in find_timexes(text, PUB)}
    assert found.get("the third quarter of last year") == "2023-Q3", found
    assert found.get("the first two quarters of 1990") == "1990-H1", found
    found = {t.text: t.value for t in find_timexes("Profits fell for two quarters of the year.", PUB)}
    assert found.get("two quarters") == "P6M", found  # followed by "of the year": still a period
