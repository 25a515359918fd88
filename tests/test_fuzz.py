"""Fuzzing ingest and extract (issue 12), bounded for CI (well under 2 minutes).

Generated batches mix good files, hostile ones (deep JSON, lone surrogates, alias bombs,
impossible dates, broken UTF-8, random bytes, zip escapes, FIFOs, links out of the
folder, names with newlines/ANSI/undecodable bytes) and random mutations of good files;
hypothesis drives both the batch generator's seed and free-form field values. The long
run is ``make fuzz`` (``bench/fuzz.py``, 20,000+ inputs).
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import Gen, Input, check_batch, peak_rss_mb


def test_generated_batches_of_every_family_hold(tmp_path):
    total, families = 0, {}
    for seed in range(3):
        res = check_batch(Gen(seed).batch(120), tmp_path / f"b{seed}")
        assert not res.problems, res.problems[:10]
        total += res.inputs
        for k, v in res.families.items():
            families[k] = families.get(k, 0) + v
    assert total == 360
    assert {"bad_deep_json", "bad_surrogate", "bad_alias_bomb", "bad_bad_date", "bad_broken_utf8",
            "good_weird_name", "special_fifo", "special_symlink_out"} <= set(families), sorted(families)
    assert peak_rss_mb() < 3000


# free-form values (any unicode, lone surrogates through JSON escapes, control characters)
values = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), title=values, published=values, source=values,
       text=values, as_front_matter=st.booleans())
def test_any_field_values_are_stored_or_rejected_with_one_line(seed, title, published, source, text,
                                                               as_front_matter):
    gen = Gen(seed)
    good = gen.good()
    body = f"Field fuzz body {seed}. {text}"
    if as_front_matter:
        esc = [v.replace("\n", " ") for v in (title, published, source)]
        data = f"---\ntitle: {esc[0]}\npublished: {esc[1]}\nsource: {esc[2]}\n---\n{body}"
        raw = data.encode("utf-8", "surrogatepass")
        name = f"ff{seed}.md"
    else:
        raw = json.dumps({"title": title, "published": published, "source": source, "text": body}).encode()
        name = f"ff{seed}.json"
    with tempfile.TemporaryDirectory() as tmp:
        res = check_batch([good, Input(name, raw, "any", "any_fields")], Path(tmp), extract=False)
    assert not res.problems, res.problems
