"""``python -m timeline evaluate timex GOLD_DIR`` and ``evaluate timeline GOLD.yaml``.

The scoring lives in ``timeline.evaluation``; this module only wires the CLI.
"""
from __future__ import annotations

import argparse
import importlib


def _lazy(module: str):
    def run(args: argparse.Namespace) -> int:
        return importlib.import_module(module).cli(args)

    return run


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score extraction against gold annotations")
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")

    t = kinds.add_parser("timex", help="TempEval-3 scores on TimeML (.tml) files")
    t.add_argument("gold_dir", help="folder of .tml files (searched recursively)")
    t.add_argument("--predict", metavar="OUT.json", help="write predictions {docid: [{start,end,type,value}]}")
    t.add_argument("--errors", metavar="OUT.tsv", help="write every mismatch, one per line")
    t.add_argument("--conventions", action="store_true",
                   help="also report where the gold disagrees with itself, and our errors that follow another gold form")
    t.set_defaults(func=_lazy("timeline.evaluation.timex"))

    e = kinds.add_parser("timeline", help="compare extracted events with a gold YAML (seed_events.yaml format)")
    e.add_argument("gold", help="gold YAML file")
    e.add_argument("--docs", metavar="DIR", help="folder with the gold's documents (default: ../seeds beside the gold)")
    e.add_argument("--db", help="use this store instead of ingesting the gold's documents into memory")
    e.add_argument("--extractor", choices=("gazetteer", "open"), default=None,
                   help="event extractor (default: $TIMELINE_EXTRACTOR or open)")
    e.set_defaults(func=_lazy("timeline.evaluation.events"))
