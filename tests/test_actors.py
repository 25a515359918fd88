"""Actor mentions: seed gold forms, titles at dates, unresolved names, exclusions."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.actors import Gazetteer, GazetteerError, find_actors
from timeline.model import Document

D = dt.date


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def doc(text: str, published: dt.date | None = D(2024, 11, 15), **kw) -> Document:
    return Document(id="t", text=text, published=published, **kw)


def names(mentions) -> list[tuple[str, str | None]]:
    return [(m.text, m.actor_id) for m in mentions]


@pytest.fixture(scope="module")
def seed_docs(seeds_dir, seed_gold) -> list[Document]:
    docs = []
    for meta in seed_gold["documents"]:
        text = (seeds_dir / meta["file"]).read_text(encoding="utf-8")
        source = meta.get("source")
        docs.append(Document(id=meta["file"], text=text, published=meta["published"],
                             source=source if source and "unknown" not in source else None,
                             author=meta.get("author")))
    return docs


def _occurrences(text: str, form: str):
    return [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text)]


def test_every_gold_surface_form_maps_to_its_canonical_actor(gaz, seed_docs, seed_gold):
    """Each occurrence of a gold form is inside a mention of that actor, or inside a longer
    mention that swallowed it ("Russia" in "President of Russia Vladimir Putin")."""
    checked = 0
    for d in seed_docs:
        mentions = find_actors(d, gaz)
        for actor in seed_gold["actors"]:
            for form in actor["forms"]:
                occ = _occurrences(d.text, form)
                hits = 0
                for s, e in occ:
                    cover = [m for m in mentions if m.start <= s and e <= m.end]
                    assert cover, f"{d.id}: {form!r} at {s} is not part of any mention"
                    m = cover[0]
                    if m.name == actor["name"]:
                        assert (m.kind, m.country) == (actor["kind"], actor["country"]), (form, m)
                        assert m.resolved
                        hits += 1
                    else:
                        assert m.end - m.start > e - s, f"{d.id}: {form!r} -> {m.name}, expected {actor['name']}"
                if occ:
                    assert hits, f"{d.id}: {form!r} never resolves to {actor['name']}"
                    checked += 1
    assert checked >= len([f for a in seed_gold["actors"] for f in a["forms"]])


def test_seed_not_actors_never_appear(gaz, seed_docs, seed_gold):
    for d in seed_docs:
        for bare in (d, Document(id=d.id, text=d.text, published=d.published)):  # with and without metadata
            for m in find_actors(bare, gaz):
                for bad in seed_gold["not_actors"]:
                    assert bad not in m.text and bad != m.name, (bad, m)


def test_mentions_are_sorted_and_non_overlapping(gaz, seed_docs):
    for d in seed_docs:
        ms = find_actors(d, gaz)
        assert ms == sorted(ms, key=lambda m: m.start)
        assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))
        assert all(d.text[m.start:m.end] == m.text for m in ms)


def test_title_and_full_name_is_one_mention(gaz):
    ms = find_actors(doc("Russian President Vladimir Putin met German Chancellor Olaf Scholz."), gaz)
    assert names(ms) == [("Russian President Vladimir Putin", "vladimir-putin"),
                         ("German Chancellor Olaf Scholz", "olaf-scholz")]


def test_short_capitals_in_shouted_text_are_not_actors(gaz):
    ms = find_actors(doc("ABOUT US | CONTACT US\nThe US, UK and EU agreed. WHO WE ARE. The WHO said."), gaz)
    assert [m.actor_id for m in ms] == ["united-states", "united-kingdom", "european-union", "who"]


def test_via_tells_how_the_person_was_named(gaz):
    ms = find_actors(doc("President Putin met Mr Scholz and Chancellor Olaf Scholz."), gaz)
    assert [(m.text, m.actor_id, m.via) for m in ms] == [
        ("President Putin", "vladimir-putin", "title"), ("Mr Scholz", "olaf-scholz", "surname"),
        ("Chancellor Olaf Scholz", "olaf-scholz", "alias")]


def test_kyiv_and_kiev_are_one_actor(gaz):
    ms = find_actors(doc("Kyiv said no. Kiev said no again. The Kiev regime refused."), gaz)
    assert [m.actor_id for m in ms] == ["ukraine"] * 3
    assert {m.name for m in ms} == {"Ukraine"}


@pytest.mark.parametrize("text,published,expected", [
    ("The German chancellor spoke.", D(2024, 11, 15), "olaf-scholz"),
    ("The German chancellor spoke.", D(2026, 1, 10), "friedrich-merz"),
    ("The German chancellor spoke.", D(2025, 5, 6), "friedrich-merz"),  # hand-over day: the newcomer
    ("The German chancellor spoke.", D(2019, 3, 1), "angela-merkel"),
    ("The U.S. President spoke.", D(2024, 6, 1), "joe-biden"),
    ("The U.S. President spoke.", D(2025, 3, 1), "donald-trump"),
    ("The Russian leader spoke.", D(2024, 11, 15), "vladimir-putin"),
    ("the President of Russia spoke.", D(2016, 2, 1), "vladimir-putin"),
    ("Russia's foreign minister spoke.", D(2024, 11, 15), "sergey-lavrov"),
    ("The Kremlin spokesman spoke.", D(2024, 11, 15), "dmitry-peskov"),
    ("The EU foreign policy chief spoke.", D(2024, 11, 20), "josep-borrell"),
    ("The EU foreign policy chief spoke.", D(2025, 1, 20), "kaja-kallas"),
    ("The NATO Secretary General spoke.", D(2024, 11, 15), "mark-rutte"),
    ("The UN Secretary-General spoke.", D(2024, 11, 15), "antonio-guterres"),
    ("The Turkish prime minister spoke.", D(2014, 3, 1), "recep-tayyip-erdogan"),
    ("The Turkish president spoke.", D(2014, 9, 1), "recep-tayyip-erdogan"),
    ("The Chinese prime minister spoke.", D(2024, 11, 15), "li-qiang"),  # office called Premier
    ("The Iranian president spoke.", D(2024, 11, 15), "masoud-pezeshkian"),  # not the Supreme Leader
    ("The German president spoke.", D(2024, 11, 15), "frank-walter-steinmeier"),
])
def test_titles_resolve_through_roles_at_publication_date(gaz, text, published, expected):
    ms = find_actors(doc(text, published), gaz)
    assert len(ms) == 1 and ms[0].actor_id == expected and ms[0].via == "title", ms


@pytest.mark.parametrize("text,published", [
    ("The Australian president spoke.", D(2024, 11, 15)),  # no such office: not the King
    ("The Turkish prime minister spoke.", D(2020, 1, 1)),  # office abolished in 2018
    ("The Russian foreign minister spoke.", D(1998, 3, 1)),  # a holder the gazetteer lacks
])
def test_titles_with_no_holder_on_the_date_stay_unresolved(gaz, text, published):
    ms = find_actors(doc(text, published), gaz)
    assert [(m.actor_id, m.resolved, m.kind) for m in ms] == [(None, False, "person")]


def test_title_without_date_resolves_only_when_unambiguous(gaz):
    ms = find_actors(doc("The German chancellor spoke.", published=None), gaz)
    assert [(m.actor_id, m.resolved, m.country) for m in ms] == [(None, False, "DEU")]
    ms = find_actors(doc("Olaf Scholz arrived. The German chancellor spoke.", published=None), gaz)
    assert [m.actor_id for m in ms] == ["olaf-scholz", "olaf-scholz"]


def test_surname_after_full_mention_and_possessive_spokesman(gaz):
    ms = find_actors(doc("Olaf Scholz called. Scholz’s spokesman said the Russian side agreed."), gaz)
    assert names(ms) == [("Olaf Scholz", "olaf-scholz"), ("Scholz", "olaf-scholz"),
                         ("spokesman", "steffen-hebestreit"), ("Russian side", "russia")]
    assert [m.via for m in ms] == ["alias", "surname", "title", "demonym"]


def test_unknown_titled_names_are_kept_unresolved(gaz):
    ms = find_actors(doc("Foreign Minister Jane Doe met spokesman John Roe in Berlin."), gaz)
    got = [(m.name, m.actor_id, m.resolved, m.via, m.kind) for m in ms]
    assert got == [("Jane Doe", None, False, "pattern", "person"),
                   ("John Roe", None, False, "pattern", "person"),
                   ("Germany", "germany", True, "metonym", "state")]
    assert ms[0].text == "Foreign Minister Jane Doe"


def test_unknown_person_named_again_by_surname(gaz):
    ms = find_actors(doc("Hungarian Foreign Minister Jane Doe met Putin. Later Doe said no."), gaz)
    got = [(m.text, m.name, m.resolved, m.via, m.country) for m in ms]
    assert got == [("Hungarian Foreign Minister Jane Doe", "Jane Doe", False, "pattern", "HUN"),
                   ("Putin", "Vladimir Putin", True, "surname", "RUS"),
                   ("Doe", "Jane Doe", False, "surname", "HUN")]


def test_unknown_ministry_is_an_unresolved_organisation(gaz):
    ms = find_actors(doc("Putin spoke. The Ministry of Agriculture of Zed objected."), gaz)
    org = [m for m in ms if m.kind == "organisation"]
    assert len(org) == 1 and not org[0].resolved and org[0].text.startswith("Ministry of Agriculture")


def test_bare_foreign_ministry_follows_the_document_main_state(gaz):
    ms = find_actors(doc("Moscow and the Kremlin spoke; Russia agreed. The Foreign Ministry confirmed."), gaz)
    assert ms[-1].actor_id == "russia-mfa" and ms[-1].via == "context"


def test_author_outlet_and_byline_are_never_actors(gaz):
    text = ("Kremlin Watch reported that Putin called Scholz.\n"
            "Putin spoke at length.\n"
            "Jane Quill is the news editor of Kremlin Watch and co-host of Moscow Calling.")
    d = doc(text, source="Kremlin Watch", author="Jane Quill")
    got = names(find_actors(d, gaz))
    assert got == [("Putin", "vladimir-putin"), ("Scholz", "olaf-scholz"), ("Putin", "vladimir-putin")]
    # the byline alone (no metadata) is enough to exclude it and the outlets it names
    got = names(find_actors(doc(text), gaz))
    assert ("Moscow", "russia") not in got and not any("Kremlin" in t for t, _ in got)


def test_credit_lines_and_republication_notes_are_not_actors(gaz):
    text = ("President John Q. Public met Putin in Moscow. (Reporting by Jane Roe in Moscow; "
            "Editing by John Kremlin)\nThis article was originally published by Berlin Daily News.")
    assert names(find_actors(doc(text, D(2004, 11, 15)), gaz)) == [
        ("President John Q. Public", None), ("Putin", "vladimir-putin"), ("Moscow", "russia")]


def test_a_source_that_is_an_actor_is_kept(gaz):
    ms = find_actors(doc("NATO allies met. NATO said no.", source="NATO"), gaz)
    assert [m.actor_id for m in ms] == ["nato", "nato"]


def test_sample_corpus_authors_and_outlets_are_never_actors(gaz):
    """Across data/samples (read through ingest, as the app does), no author or outlet of
    any article shows up in any mention, and every mention of a known actor is resolved."""
    from timeline.ingest import parse_upload

    samples = Path(__file__).resolve().parent.parent / "data" / "samples"
    docs = [d for p in sorted(samples.iterdir()) if p.is_file() and p.name != "README.md"
            for d in parse_upload(p.name, p.read_bytes())]
    if not docs:
        pytest.skip("no sample articles")
    people = {x for d in docs for x in (d.author, d.source) if x}
    assert len(people) >= 4
    mentions = [m for d in docs for m in find_actors(d, gaz)]
    assert len(mentions) > 100
    for m in mentions:
        assert not any(p in m.text or p == m.name for p in people), m
    assert sum(m.resolved for m in mentions) / len(mentions) > 0.95


def test_actor_sentence_at_the_end_is_not_taken_for_a_byline(gaz):
    text = "Talks resumed.\nMore talks.\nVladimir Putin is the host of the summit in Moscow."
    assert ("Vladimir Putin", "vladimir-putin") in names(find_actors(doc(text), gaz))


def test_is_leader_role_holder_and_lookups(gaz):
    assert gaz.is_leader("olaf-scholz", D(2024, 11, 15))
    assert not gaz.is_leader("olaf-scholz", D(2025, 6, 1))
    assert gaz.is_leader("olaf-scholz", None)
    assert gaz.is_leader("sergey-lavrov", D(2024, 11, 15))
    assert not gaz.is_leader("dmitry-peskov", D(2024, 11, 15))  # spokesman, not a leader
    assert not gaz.is_leader("russia", None) and not gaz.is_leader("?Jane Doe", None)
    assert gaz.role_holder("DEU:head_of_government", D(2024, 11, 15)).id == "olaf-scholz"
    assert gaz.role_holder("USA:head_of_state", D(2020, 6, 1)).id == "donald-trump"
    assert gaz.role_holder("nato:secretary_general", D(2020, 6, 1)).id == "jens-stoltenberg"
    assert gaz.role_holder("DEU:head_of_government", None) is None  # several ever: no answer
    assert gaz.get("vladimir-putin").wikidata == "Q7747"
    assert gaz.get("nope") is None
    assert gaz.country_of("olaf-scholz") == "DEU" and gaz.country_of("nato") is None
    assert gaz.lookup("Zelenskyy").id == "volodymyr-zelensky"


def test_coordinated_titles_name_each_holder(gaz):
    ms = find_actors(doc("The German and Russian leaders agreed to stay in contact."), gaz)
    assert names(ms) == [("German", "olaf-scholz"), ("Russian leaders", "vladimir-putin")]
    ms = find_actors(doc("Ukrainian and Russian negotiators met."), gaz)
    assert names(ms) == [("Ukrainian", "ukraine"), ("Russian negotiators", "russia")]
    assert find_actors(doc("Russian leaders met."), gaz) == []  # several people: nobody in particular


def test_president_elect_is_not_the_president(gaz):
    ms = find_actors(doc("U.S. President-elect Donald Trump called.", D(2024, 11, 20)), gaz)
    assert names(ms) == [("U.S. President-elect Donald Trump", "donald-trump")]
    ms = find_actors(doc("The U.S. president-elect called.", D(2024, 11, 20)), gaz)
    assert [m.actor_id for m in ms] == [None]  # never Biden, the president on that day


def test_other_bearers_of_a_surname_are_not_the_leader(gaz):
    ms = find_actors(doc("Hunter Biden met Donald Trump Jr. in May. On Monday Biden spoke."), gaz)
    assert [(m.text, m.actor_id, m.resolved) for m in ms] == [
        ("Hunter Biden", None, False), ("Donald Trump Jr.", None, False), ("Biden", "joe-biden", True)]


def test_a_surname_inside_another_name_is_not_the_person(gaz):
    ms = find_actors(doc("Park Jin flew to Menlo Park. Park said the Chief Executive Officer agreed."), gaz)
    assert [(m.text, m.actor_id) for m in ms] == [("Park Jin", "park-jin"), ("Park", "park-jin")]


def test_spelling_variants_of_a_first_name_stay_the_same_person(gaz):
    ms = find_actors(doc("They met Recep Erdogan, Binyamin Netanyahu and Jill Biden.\nPutin Calls Scholz"), gaz)
    assert [(m.text, m.actor_id) for m in ms] == [
        ("Recep Erdogan", "recep-tayyip-erdogan"), ("Binyamin Netanyahu", "benjamin-netanyahu"),
        ("Jill Biden", None), ("Putin", "vladimir-putin"), ("Scholz", "olaf-scholz")]


@pytest.mark.parametrize("published,expected", [(D(2019, 1, 1), "li-keqiang"), (D(2024, 1, 1), "li-qiang")])
def test_title_before_a_shared_surname_picks_the_office_holder(gaz, published, expected):
    ms = find_actors(doc("Premier Li spoke.", published), gaz)
    assert [(m.text, m.actor_id) for m in ms] == [("Premier Li", expected)]


def test_deputy_is_not_the_minister(gaz):
    ms = find_actors(doc("The Russian deputy foreign minister spoke."), gaz)
    assert [(m.actor_id, m.resolved, m.country) for m in ms] == [(None, False, "RUS")]
    ms = find_actors(doc("Russian Deputy Defence Minister Jane Doe spoke."), gaz)
    assert [(m.text, m.name, m.country, m.resolved) for m in ms] == [
        ("Russian Deputy Defence Minister Jane Doe", "Jane Doe", "RUS", False)]


def test_apposition_honorific_and_former(gaz):
    ms = find_actors(doc("Russia's foreign minister, Sergei Lavrov, and Mr. Putin spoke."), gaz)
    assert names(ms) == [("Russia's foreign minister, Sergei Lavrov", "sergey-lavrov"),
                         ("Mr. Putin", "vladimir-putin")]
    ms = find_actors(doc("Angela Merkel spoke. The former German chancellor said no."), gaz)
    assert [m.actor_id for m in ms] == ["angela-merkel", "angela-merkel"]


def test_ministry_country_from_in_or_of(gaz):
    ms = find_actors(doc("Putin spoke. The Defence Ministry in Kyiv and the Ministry of Defence of Latvia denied it."), gaz)
    got = [(m.text, m.actor_id, m.country) for m in ms if m.kind == "organisation"]
    assert got == [("Defence Ministry", "ukraine-mod", "UKR"), ("Ministry of Defence of Latvia", None, "LVA")]


def test_bare_ministry_follows_the_nearest_speaker(gaz):
    text = "Zelensky spoke in Kyiv.\nOn Ukraine, Putin repeated what he said at the Foreign Ministry."
    assert find_actors(doc(text), gaz)[-1].actor_id == "russia-mfa"


def test_by_line_with_outlet_is_excluded(gaz):
    text = "Putin Calls Scholz\n\nBy Jane Roe, Moscow Monitor\n\nThe Moscow Monitor says Putin called."
    got = names(find_actors(doc(text), gaz))
    assert got == [("Putin", "vladimir-putin"), ("Scholz", "olaf-scholz"), ("Putin", "vladimir-putin")]


# ------------------------------------------------------------ mechanism, on a tiny gazetteer

def _tiny(**extra) -> dict:
    data = {
        "titles": {"president": "head_of_state"},
        "actors": [
            {"id": "ann-jones", "name": "Ann Jones", "kind": "person", "country": "GBR"},
            {"id": "bob-jones", "name": "Bob Jones", "kind": "person", "country": "USA"},
            {"id": "ruritania", "name": "Ruritania", "kind": "state", "country": "AUT",
             "demonyms": ["Ruritanian"]},
        ],
    }
    data.update(extra)
    return data


def test_derived_surname_needs_a_full_mention_and_picks_the_named_one():
    g = Gazetteer(_tiny())
    assert names(find_actors(doc("Jones said no."), g)) == []
    assert names(find_actors(doc("Bob Jones came. Jones said no."), g)) == [
        ("Bob Jones", "bob-jones"), ("Jones", "bob-jones")]


def test_alias_claimed_twice_needs_an_ambiguous_rule():
    data = _tiny()
    data["actors"][0]["aliases"] = ["AJ"]
    data["actors"][1]["aliases"] = ["AJ"]
    with pytest.raises(GazetteerError, match="'AJ' is claimed by"):
        Gazetteer(data)
    data["ambiguous"] = [{"alias": "AJ", "actors": ["ann-jones", "bob-jones"], "default": None}]
    g = Gazetteer(data)
    ms = find_actors(doc("AJ spoke."), g)
    assert [(m.text, m.actor_id, m.resolved) for m in ms] == [("AJ", None, False)]
    assert find_actors(doc("Ann Jones came. AJ spoke."), g)[-1].actor_id == "ann-jones"


@pytest.mark.parametrize("patch,message", [
    ({"id": "Bad Id"}, "slug"),
    ({"kind": "robot"}, "kind"),
    ({"country": "XX"}, "alpha-3"),
    ({"roles": [{"role": "head_of_state", "of": "GBR", "from": "2020-01-02", "to": "2020-01-01"}]}, "before"),
    ({"roles": [{"role": "head_of_state", "of": "GBR"}]}, "from"),
    ({"roles": [{"role": "head_of_state", "of": "GBR", "from": "2020/01/01"}]}, "ISO date"),
    ({"roles": [{"role": "head_of_state", "of": "Ruritania", "from": "2020-01-01"}]}, "neither an ISO"),
    ({"alias": ["x"]}, "unknown field"),
])
def test_malformed_entries_raise_clear_errors(patch, message):
    data = _tiny()
    data["actors"][0] = {**data["actors"][0], **patch}
    with pytest.raises(GazetteerError, match=message):
        Gazetteer(data)


def test_load_reports_a_missing_file(tmp_path):
    with pytest.raises(GazetteerError, match="cannot be read"):
        Gazetteer.load(tmp_path / "nope.yaml")


# ------------------------------------------------------------ invariants on arbitrary text

_PIECES = ["Putin", "President", "the", "German", "chancellor", "Russian", "and", "leaders", "Kyiv",
           "Foreign", "Ministry", "of", "Minister", "Jane", "Doe", "Mr.", "’s", "'s", ",", ".", "\n",
           "US", "ABOUT", "Hunter", "Biden", "Jr.", "By", "is", "editor", "NATO", "Secretary-General",
           "former", "Li", "Premier", "spokesman", "side", "in", "Berlin", "-elect", "É", "ß", " "]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from([" ", "", ".", "_", "\n", "'s "])),
                     max_size=40),
       published=st.one_of(st.none(), st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 1, 1))))
def test_mentions_are_well_formed_on_any_text(gaz, words, published):
    text = "".join(w + sep for w, sep in words)
    ms = find_actors(Document(id="h", text=text, published=published), gaz)
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))
    for m in ms:
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
        assert m.kind in ("person", "state", "organisation", "place")
        assert m.resolved == (m.actor_id is not None)
        if m.resolved:
            a = gaz.get(m.actor_id)
            assert (m.name, m.kind, m.country) == (a.name, a.kind, a.country)
        assert m.name
