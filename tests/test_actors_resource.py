"""The actors resource (data/actors.yaml) is well-formed, independently of the loader."""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
import yaml

from timeline.actors import DEFAULT_PATH, KINDS, Gazetteer

#: Offices with one holder at a time: overlapping tenures point at a wrong date.
SINGLE_HOLDER_ROLES = {"head_of_state", "head_of_government", "foreign_minister", "defence_minister",
                       "secretary_general", "president", "high_representative"}


@pytest.fixture(scope="module")
def raw() -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(DEFAULT_PATH).read_text(encoding="utf-8"), Loader=loader)


@pytest.fixture(scope="module")
def actors(raw) -> list[dict]:
    return raw["actors"]


def _iso3_ok(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code) is not None


def _d(v) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def test_header_documents_the_format():
    head = Path(DEFAULT_PATH).read_text(encoding="utf-8").split("\nactors:", 1)[0]
    for word in ("id", "kind", "country", "wikidata", "aliases", "roles", "metonyms", "demonyms", "ambiguous"):
        assert re.search(rf"#\s+{word}\b", head), f"header does not document '{word}'"


def test_required_fields_unique_ids_and_kinds(actors):
    ids = [a.get("id") for a in actors]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"duplicate ids: {dupes}"
    for a in actors:
        for f in ("id", "name", "kind"):
            assert a.get(f), f"{a.get('id')}: missing {f}"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a["id"]), a["id"]
        assert a["kind"] in KINDS, a
        assert "country" in a, f"{a['id']}: country must be given (null for international bodies)"
        if a["kind"] in ("person", "state", "place"):
            assert a["country"], f"{a['id']}: a {a['kind']} needs a country"
        if a.get("wikidata") is not None:
            assert re.fullmatch(r"Q[1-9]\d*", str(a["wikidata"])), a


def test_country_codes_are_iso_3166_alpha3(actors):
    ids = {a["id"] for a in actors}
    for a in actors:
        if a.get("country") is not None:
            assert _iso3_ok(a["country"]), f"{a['id']}: unknown country {a['country']}"
        for r in a.get("roles") or []:
            assert _iso3_ok(r["of"]) or r["of"] in ids, f"{a['id']}: role of {r['of']}"


def test_role_dates_are_valid_and_ordered(actors):
    for a in actors:
        for r in a.get("roles") or []:
            start = _d(r["from"])
            assert dt.date(1900, 1, 1) <= start <= dt.date(2030, 1, 1), (a["id"], r)
            if r.get("to") is not None:
                assert start <= _d(r["to"]), (a["id"], r)


def test_single_holder_offices_do_not_overlap(actors):
    """Two heads of government of one state on the same day (beyond the hand-over day)
    means a date is wrong."""
    by_key = defaultdict(list)
    for a in actors:
        for r in a.get("roles") or []:
            if r["role"] in SINGLE_HOLDER_ROLES:
                by_key[(r["of"], r["role"])].append((_d(r["from"]), _d(r["to"]) if r.get("to") else dt.date.max, a["id"]))
    problems = []
    for key, spans in by_key.items():
        spans.sort()
        for (s1, e1, a1), (s2, e2, a2) in zip(spans, spans[1:]):
            if s2 < e1 and a1 != a2:
                problems.append(f"{key}: {a1} until {e1} overlaps {a2} from {s2}")
    assert not problems, "\n".join(problems)


def test_no_alias_claimed_twice_without_a_rule(raw, actors):
    claims = defaultdict(set)
    for a in actors:
        for form in [a["name"], *(a.get("aliases") or []), *(a.get("metonyms") or [])]:
            claims[form].add(a["id"])
    ruled = {r["alias"]: set(r["actors"]) for r in raw.get("ambiguous") or []}
    bad = {f: ids for f, ids in claims.items() if len(ids) > 1 and not ids <= ruled.get(f, set())}
    assert not bad, f"aliases claimed by several actors without an 'ambiguous:' rule: {bad}"


def test_seed_gold_actors_are_in_the_gazetteer(seed_gold):
    g = Gazetteer.load()
    by_name = {a.name: a for a in g}
    for actor in seed_gold["actors"]:
        a = by_name.get(actor["name"])
        assert a is not None, actor["name"]
        assert (a.kind, a.country) == (actor["kind"], actor["country"])


def test_loader_accepts_the_resource_and_caches_it():
    g = Gazetteer.load()
    assert g is Gazetteer.load() and g is Gazetteer.load(DEFAULT_PATH)
    assert len(g) >= 30


#: The coverage the resource promises: heads of state and government since mid-2014.
COVERAGE = ["ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "MEX", "RUS",
            "SAU", "ZAF", "KOR", "TUR", "GBR", "USA", "UKR", "BLR", "POL", "EST", "LVA", "LTU", "DNK",
            "FIN", "ISL", "NOR", "SWE"]
#: Real interregna with only an acting holder (not in the gazetteer): (key, first, last day).
INTERREGNA = [
    ("ITA:head_of_state", dt.date(2015, 1, 14), dt.date(2015, 2, 3)),  # Pietro Grasso acting
    ("KOR:head_of_state", dt.date(2017, 3, 10), dt.date(2017, 5, 10)),  # Hwang Kyo-ahn acting
    ("KOR:head_of_government", dt.date(2017, 3, 10), dt.date(2017, 5, 10)),
    ("KOR:head_of_state", dt.date(2025, 4, 4), dt.date(2025, 6, 4)),  # acting presidents
    ("KOR:head_of_government", dt.date(2025, 4, 4), dt.date(2025, 6, 4)),
]


def _sample_days():
    d = dt.date(2014, 7, 15)
    while d <= dt.date(2025, 6, 15):
        yield d
        d = dt.date(d.year + (d.month + 1) // 13, (d.month % 12) + 1, 15)


@pytest.mark.parametrize("role", ["head_of_state", "head_of_government"])
def test_heads_of_state_and_government_cover_2014_to_2025(role):
    g = Gazetteer.load()
    gaps = []
    for country in COVERAGE:
        key = f"{country}:{role}"
        for day in _sample_days():
            if any(k == key and a <= day <= b for k, a, b in INTERREGNA):
                continue
            if g.role_holder(key, day) is None:
                gaps.append(f"{key} {day}")
    assert not gaps, f"{len(gaps)} month(s) without a holder, first: {gaps[:8]}"


def test_eu_and_un_leaders_cover_2014_to_2025():
    g = Gazetteer.load()
    for key in ("european-commission:president", "european-council:president", "nato:secretary_general",
                "united-nations:secretary_general", "european-union:high_representative"):
        missing = [d for d in _sample_days() if g.role_holder(key, d) is None]
        assert not missing, (key, missing[:3])


MINISTER_COVERAGE = ["RUS", "UKR", "DEU", "FRA", "GBR", "USA", "CHN", "POL"]
#: Real gaps filled by acting ministers the gazetteer does not list.
MINISTER_GAPS = [
    ("USA:foreign_minister", dt.date(2018, 3, 31), dt.date(2018, 4, 26)),  # John Sullivan acting
    ("USA:defence_minister", dt.date(2019, 1, 1), dt.date(2019, 7, 23)),  # Shanahan, Spencer acting
    ("USA:defence_minister", dt.date(2020, 11, 9), dt.date(2021, 1, 22)),  # Christopher Miller acting
    ("CHN:defence_minister", dt.date(2023, 10, 24), dt.date(2023, 12, 29)),  # post vacant
]


@pytest.mark.parametrize("role", ["foreign_minister", "defence_minister"])
def test_foreign_and_defence_ministers_of_the_main_powers_cover_2014_to_2025(role):
    g = Gazetteer.load()
    gaps = [f"{c}:{role} {d}" for c in MINISTER_COVERAGE for d in _sample_days()
            if g.role_holder(f"{c}:{role}", d) is None
            and not any(k == f"{c}:{role}" and a <= d <= b for k, a, b in MINISTER_GAPS)]
    assert not gaps, f"{len(gaps)} month(s) without a holder, first: {gaps[:8]}"
