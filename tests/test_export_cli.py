"""``python -m timeline export``: the app's filters and figure, from the command line."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.__main__ import build_parser, main
from timeline.commands.export import filter_from_args, parse_bound
from timeline.errors import UserError
from timeline.nlp.salience import DEFAULT_MIN_SALIENCE
from timeline.filters import EventFilter, filter_events

ROOT = Path(__file__).resolve().parent.parent


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["export", *argv])


@pytest.mark.parametrize("text, end, expected", [
    ("2022", False, dt.date(2022, 1, 1)),
    ("2022", True, dt.date(2022, 12, 31)),
    ("2022-01", False, dt.date(2022, 1, 1)),
    ("2024-12", True, dt.date(2024, 12, 31)),
    ("2024-02", True, dt.date(2024, 2, 29)),
    ("2023-02", True, dt.date(2023, 2, 28)),
    ("2024-06-15", True, dt.date(2024, 6, 15)),
    ("1654", False, dt.date(1654, 1, 1)),
])
def test_partial_dates_widen_to_the_whole_period(text, end, expected):
    assert parse_bound(text, end=end, flag="--to") == expected


@pytest.mark.parametrize("text", ["2024-13", "June 2024", "2024/06", "2024-02-30", ""])
def test_bad_dates_are_user_errors_naming_the_flag(text):
    with pytest.raises(UserError, match="--from"):
        parse_bound(text, end=False, flag="--from")


def test_cli_flags_build_the_apps_filter():
    args = _args("--format", "png", "--out", "x.png", "--actor", "Vladimir Putin", "--actor", "Olaf Scholz",
                 "--leader", "Joe Biden", "--country", "RUS", "--source", "Wire", "--type", "statement",
                 "--modality", "occurred", "--from", "2022-01", "--to", "2024-12", "--text", "talks",
                 "--no-undated")
    assert filter_from_args(args) == EventFilter(
        actors=("Vladimir Putin", "Olaf Scholz"), leaders=("Joe Biden",), countries=("RUS",),
        sources=("Wire",), types=("statement",), modalities=("occurred",),
        start=dt.date(2022, 1, 1), end=dt.date(2024, 12, 31), text="talks", include_undated=False,
        min_salience=DEFAULT_MIN_SALIENCE)
    # exports show what the timeline shows (the salient events) unless --all
    assert filter_from_args(_args("--out", "x.csv")) == EventFilter(min_salience=DEFAULT_MIN_SALIENCE)
    assert filter_from_args(_args("--out", "x.csv", "--all")) == EventFilter()


def test_window_the_wrong_way_round_is_a_user_error():
    with pytest.raises(UserError, match="after"):
        filter_from_args(_args("--out", "x.csv", "--from", "2024", "--to", "2023"))


def test_missing_store_exits_2_with_how_to_create_it(tmp_path, capsys):
    code = main(["export", "--format", "csv", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "o.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert "no store at" in err and "python -m timeline ingest" in err
    assert not (tmp_path / "o.csv").exists()


def test_format_is_taken_from_the_suffix_or_must_be_given(tmp_path, capsys):
    code = main(["export", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "o.xyz")])
    assert code == 2 and "--format" in capsys.readouterr().err


def _marks(fig) -> int:
    """Data points drawn, whatever the trace type (same counter for both figures)."""
    total = 0
    for trace in fig.data:
        for attr in ("x", "y", "z", "base"):
            values = getattr(trace, attr, None)
            if values is not None:
                total += len(values)
                break
    return total


@pytest.mark.parametrize("argv, flt", [
    (["--actor", "{actor}", "--from", "2005-01", "--to", "2014-12"],
     EventFilter(actors=("{actor}",), start=dt.date(2005, 1, 1), end=dt.date(2014, 12, 31),
                 min_salience=DEFAULT_MIN_SALIENCE)),
    (["--country", "{country}", "--no-undated", "--type", "statement", "--type", "agreement"],
     EventFilter(countries=("{country}",), types=("statement", "agreement"), include_undated=False,
                 min_salience=DEFAULT_MIN_SALIENCE)),
    (["--all"], EventFilter()),
])
def test_cli_figure_has_the_same_marks_as_the_apps_figure(argv, flt):
    from timeline.export import build_export_figure
    from timeline.export.figure import view_figure  # what the Timeline page draws
    from timeline.synthetic import synthetic_frames

    frames = synthetic_frames(2000, seed=7)
    names = {"actor": frames.actors["name"].value_counts().index[0],
             "country": frames.actors["country"].value_counts().index[0]}
    argv = [a.format(**names) for a in argv]
    flt = EventFilter(**{**flt.__dict__, "actors": tuple(a.format(**names) for a in flt.actors),
                         "countries": tuple(c.format(**names) for c in flt.countries)})
    cli_fig, view = build_export_figure(frames, filter_from_args(_args("--out", "x.png", *argv)),
                                        generated=dt.date(2026, 11, 25))
    app_view = filter_events(frames, flt)
    app_fig = view_figure(app_view, flt, lanes="actor")
    assert len(view.events) == len(app_view.events) > 0
    assert _marks(cli_fig) == _marks(app_fig) > 0
    assert [t.type for t in cli_fig.data] == [t.type for t in app_fig.data]


# -- end to end on a real store (ingest + extract of the project's sample articles) -----------
@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    samples = ROOT / "data" / "samples"
    if not samples.is_dir():
        pytest.skip("data/samples is absent")
    db = tmp_path_factory.mktemp("export") / "samples.duckdb"
    for argv in (["ingest", str(samples), "--db", str(db)], ["extract", "--db", str(db)]):
        subprocess.run([sys.executable, "-m", "timeline", *argv], cwd=ROOT, check=True, timeout=600,
                       capture_output=True)
    return db


def _store_frames(db: Path):
    from timeline.frame import load_frames
    from timeline.store import Store

    with Store(db, read_only=True) as store:
        return load_frames(store)


def test_cli_json_export_matches_the_app_filter_on_a_real_store(sample_db, tmp_path):
    frames = _store_frames(sample_db)
    assert len(frames.events) > 0
    actor = frames.actors["name"].value_counts().index[0]
    out = tmp_path / "view.json"
    code = main(["export", "--format", "json", "--db", str(sample_db), "--actor", actor, "--out", str(out)])
    assert code == 0
    payload = json.loads(out.read_text(encoding="utf-8"))
    expected = filter_events(frames, EventFilter(actors=(actor,), min_salience=DEFAULT_MIN_SALIENCE))
    assert sorted(e["id"] for e in payload["events"]) == sorted(expected.events["id"])
    assert all(e["evidence"] for e in payload["events"])


@pytest.mark.browser
def test_cli_png_export_on_a_real_store(sample_db, tmp_path, artifacts_dir):
    from PIL import Image

    from timeline.export import ExportUnavailable, browser_path

    try:
        browser_path()
    except ExportUnavailable as exc:
        pytest.skip(str(exc))
    out = tmp_path / "samples.png"
    code = main(["export", "--format", "png", "--db", str(sample_db), "--width", "1200", "--scale", "1",
                 "--title", "Sample articles", "--out", str(out)])
    assert code == 0
    shutil.copy(out, artifacts_dir / "export_cli_samples.png")
    im = Image.open(out)
    assert im.size[0] == 1200


def test_without_chromium_images_fail_with_the_install_command_and_html_still_exports(
        sample_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TIMELINE_CHROMIUM", str(tmp_path / "no-such-chromium"))
    png = tmp_path / "view.png"
    assert main(["export", "--format", "png", "--db", str(sample_db), "--out", str(png)]) == 2
    err = capsys.readouterr().err
    assert "apt-get install -y chromium" in err and "make test" in err
    assert not png.exists()
    html = tmp_path / "view.html"
    assert main(["export", "--db", str(sample_db), "--out", str(html)]) == 0  # format from the suffix
    text = html.read_text(encoding="utf-8")
    assert "Plotly.newPlot" in text and '<script src="http' not in text and "Generated " in text


def test_cli_offers_exactly_the_library_formats():
    from timeline.commands import export as command
    from timeline.export import FORMATS

    assert command.FORMATS == FORMATS
