"""Two checkouts' apps on one store, loaded interleaved: is a change to the page faster?

    .venv/bin/python bench/app_ab.py ROOT_A ROOT_B STORE [--runs N] [--env-b KEY=VALUE ...]

Starts ``streamlit run app.py`` from each checkout (ROOT_A, ROOT_B: folders holding the
project, e.g. ``git archive`` of two commits; or one folder twice with ``--env-b`` setting a
Streamlit option for B only, e.g. ``STREAMLIT_SERVER_FILE_WATCHER_TYPE=auto``) on the same
store, loads each once cold, then
``--runs`` warm loads of each, alternating A/B and B/A so both see the same machine load, in
Debian's Chromium through Playwright (``app_scale.load``: seconds and CPU seconds from
``goto`` to the shell, the timeline's first marks, idle, and the filter round trip). Prints
the medians per checkout. No timed asserts: numbers only.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import app_scale  # noqa: E402
import first_paint  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root_a", type=Path)
    ap.add_argument("root_b", type=Path)
    ap.add_argument("store", type=Path)
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--env-b", action="append", default=[], metavar="KEY=VALUE",
                    help="an environment variable for B's server only")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    roots = [args.root_a.resolve(), args.root_b.resolve()]
    procs, urls = [], []
    try:
        for i, root in enumerate(roots):
            first_paint.ROOT = root  # start_server runs streamlit from this folder
            if i == 1:
                os.environ.update(dict(kv.split("=", 1) for kv in args.env_b))
            proc, url = first_paint.start_server(args.store.resolve(), open(os.devnull, "w"))
            procs.append(proc)
            urls.append(url)
        loads: dict[int, list[dict]] = {0: [], 1: []}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=first_paint.CHROMIUM, headless=True, args=first_paint.ARGS)
            for i in (0, 1):
                app_scale.load(browser, urls[i], procs[i].pid)  # cold: reads the store
            for k in range(args.runs):
                for i in ((0, 1) if k % 2 == 0 else (1, 0)):
                    loads[i].append(app_scale.load(browser, urls[i], procs[i].pid))
            browser.close()
    finally:
        for proc in procs:
            proc.terminate()
    for i, root in enumerate(roots):
        keys = [k for k, v in loads[i][0].items() if isinstance(v, (int, float))]
        print("AB"[i], root, *(args.env_b if i else ()), {k: round(statistics.median(x[k] for x in loads[i]), 2) for k in keys})
    print("load average at the end", os.getloadavg())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
