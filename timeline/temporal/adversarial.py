"""Adversarial text for the linear-time check: long digit runs, repeated month names,
nested punctuation, stacked modifiers, runs of near-dates.

The one generator for both ``python -m timeline.temporal.adversarial [MB]`` and
``bench/temporal.py``, so that the figures quoted anywhere are on the same text. It is
a measurement, never a timed test: ``main`` prints the median of 3 runs at a quarter,
half and all of the size asked for, so linearity shows at a glance.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import statistics
import sys
import time
from typing import Callable

PUBLISHED = dt.date(2024, 11, 15)

# fixed pieces: the same hostile string every time it is drawn
FIXED = (
    "1234567890" * 50, "January February March May June " * 20, "((((([[[[{{{{" * 30,
    "the end of the beginning of the middle of ", "12/12/12/12/12/12 ", "2 1/2 1/2 1/2 ",
    "1999-1999-1999-1999 ", "nearly about over more than ", "Friday Friday night ", "$1,000,000,000 ",
    "a a a a a a year year ", "  \n\n  ", "twenty-twenty-twenty-twenty ", ". . . . ", "10:30:30:30 p.m. p.m. ",
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December", "Jan.", "Sept", "mid-", "early")


def _random_pieces(rng: random.Random) -> tuple[Callable[[], str], ...]:
    """Pieces drawn afresh each time: random lengths and contents, so no run repeats exactly."""
    months, n = _MONTHS, rng.randint
    return (
        lambda: "".join(rng.choice("0123456789") for _ in range(n(20, 400))),
        lambda: " ".join(rng.choice(months) for _ in range(n(5, 60))),
        lambda: "".join(rng.choice("([{<\"'-/.,:;)]}>") for _ in range(n(10, 200))),
        lambda: "/".join(str(n(0, 3000)) for _ in range(n(5, 50))),
        lambda: "-".join(str(n(1900, 2100)) for _ in range(n(5, 50))),
        lambda: " ".join(f"{n(1, 31)} {rng.choice(months)} {n(1, 9999)}," for _ in range(n(3, 20))),
        lambda: "from " * n(5, 40) + "between the end of the beginning of " * n(1, 10),
        lambda: "((" * n(5, 50) + "March 2022" + "))" * n(5, 50),
        lambda: " ".join("two years ago last week next Friday" for _ in range(n(1, 10))),
    )


def adversarial_text(n_chars: int = 1_000_000, seed: int = 0) -> str:
    """``n_chars`` of hostile text, the same for the same seed: a fixed or a random piece
    (each kind equally likely), then a separator, until the size is reached."""
    rng = random.Random(seed)
    pieces = tuple((lambda s=s: s) for s in FIXED) + _random_pieces(rng)
    out, size = [], 0
    while size < n_chars:
        piece = rng.choice(pieces)() + rng.choice((" ", "\n", ". ", ", ", ""))
        out.append(piece)
        size += len(piece)
    return "".join(out)[:n_chars]


def measure(mb: float, runs: int = 3) -> dict:
    """Median wall time of ``find_timexes`` on ``mb`` MB of adversarial text (grammar
    compiled beforehand), with the count found and a fingerprint of the text."""
    from timeline.temporal import find_timexes

    text = adversarial_text(int(mb * 1_000_000))
    find_timexes("warm-up on 15 November 2024", PUBLISHED)  # compile the grammar first
    times, found = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        found = len(find_timexes(text, PUBLISHED))
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return {"mb": mb, "seconds": round(med, 3), "s_per_mb": round(med / mb, 3), "timexes": found,
            "runs": [round(t, 3) for t in times], "sha1": hashlib.sha1(text.encode()).hexdigest()[:12]}


def main(argv: list[str]) -> int:
    mb = float(argv[0]) if argv else 1.0
    for size in (mb / 4, mb / 2, mb):
        row = measure(size)
        print(f"{size:g} MB ({int(size * 1_000_000):,} characters) of adversarial text: median {row['seconds']:.2f} s "
              f"of 3 runs {row['runs']}, {row['s_per_mb']:.2f} s/MB, {row['timexes']:,} expressions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
