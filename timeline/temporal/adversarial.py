"""Adversarial text for the linear-time check: long digit runs, repeated month names,
nested punctuation, stacked modifiers. ``python -m timeline.temporal.adversarial [MB]``
times ``find_timexes`` on it (a measurement for the bench, never a timed test)."""
from __future__ import annotations

import datetime as dt
import random
import sys
import time

PIECES = (
    "1234567890" * 50, "January February March May June " * 20, "((((([[[[{{{{" * 30,
    "the end of the beginning of the middle of ", "12/12/12/12/12/12 ", "2 1/2 1/2 1/2 ",
    "1999-1999-1999-1999 ", "nearly about over more than ", "Friday Friday night ", "$1,000,000,000 ",
    "a a a a a a year year ", "  \n\n  ", "twenty-twenty-twenty-twenty ", ". . . . ", "10:30:30:30 p.m. p.m. ",
)


def adversarial_text(n_chars: int = 1_000_000, seed: int = 0) -> str:
    rng = random.Random(seed)
    out, n = [], 0
    while n < n_chars:
        piece = rng.choice(PIECES)
        out.append(piece)
        n += len(piece)
    return "".join(out)[:n_chars]


def main(argv: list[str]) -> int:
    from timeline.temporal import find_timexes

    mb = float(argv[0]) if argv else 1.0
    text = adversarial_text(int(mb * 1_000_000))
    find_timexes("warm-up on 15 November 2024", dt.date(2024, 11, 15))  # compile the grammar first
    t0, c0 = time.perf_counter(), time.process_time()
    found = find_timexes(text, dt.date(2024, 11, 15))
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{len(text):,} characters of adversarial text: {took:.2f} s wall, {cpu:.2f} s CPU, "
          f"{len(found):,} expressions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
