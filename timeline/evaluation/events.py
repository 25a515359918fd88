"""``python -m timeline evaluate timeline GOLD.yaml``: extracted events against a gold file.

The gold format is ``../shared/gold/seed_events.yaml``: documents (file, published,
source), actors (name, kind, country, surface forms), not_actors, events (id,
required, date {value, precision, mod}, actors, mentioned_in, conflict).

Scores, each one a plain count or ratio:
  required events   found with the right date value (or an ``accept`` value), precision,
                    mod, and every gold actor among the event's actors; a gold event with
                    a ``conflict`` note counts only as ONE event with conflict=True whose
                    claims hold both dates.
  Date-F1           over distinct date values: gold event dates vs every dated event.
  actors P/R        resolved actor names found in the documents vs the gold actor list.
  false actors      gold not_actors that appear as an actor (mention or event actor).
  surface forms     each gold form, wherever it occurs in a text, covered by an actor
                    mention of its canonical actor.
  conflicts         events with conflict=True and their notes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from timeline.errors import UserError
from timeline.frame import Frames, load_frames
from timeline.nlp.salience import DEFAULT_MIN_SALIENCE

APPROXIMATE = "approximate"


def _as_str(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def load_gold(path: Path) -> dict:
    if not path.exists():
        raise UserError(f"{path}: gold file not found")
    try:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(gold, dict) or "documents" not in gold:
        raise UserError(f"{path}: expected a mapping with 'documents', 'actors' and 'events'")
    return gold


def build_store(gold: dict, docs_dir: Path, extractor: str | None = None):
    """An in-memory store with the gold's documents (gold publication dates/sources), extracted.
    Returns (store, {file name: doc id})."""
    from timeline.ingest import ingest_paths
    from timeline.pipeline import extract_store
    from timeline.store import Store

    store = Store(":memory:")
    ids: dict[str, str] = {}
    for entry in gold["documents"]:
        path = docs_dir / entry["file"]
        if not path.exists():
            raise UserError(f"{path}: a document of the gold file is missing (use --docs DIR)")
        published = entry.get("published")
        report = ingest_paths([path], store, published=_as_str(published), source=entry.get("source"))
        stored = [r for r in report.lines if r.doc_id]
        if not stored:
            raise UserError(f"{path}: could not be ingested: {report.lines[0].reason if report.lines else '?'}")
        ids[entry["file"]] = stored[0].doc_id  # type: ignore[assignment]
    extract_store(store, extractor=extractor)
    return store, ids


def _event_table(frames: Frames) -> list[dict]:
    ev = frames.events
    docs_of: dict[str, set[str]] = {}
    for eid, did in zip(frames.mentions["event_id"], frames.mentions["doc_id"]):
        docs_of.setdefault(str(eid), set()).add(str(did))
    claims_of: dict[str, set[str]] = {}
    for eid, val in zip(frames.mentions["event_id"], frames.mentions["value"]):
        if val is not None and str(val) != "<NA>":
            claims_of.setdefault(str(eid), set()).add(str(val))
    out = []
    for r in ev.astype(object).where(ev.notna(), None).to_dict("records"):
        r["docs"] = docs_of.get(r["id"], set())
        r["claim_values"] = claims_of.get(r["id"], set())
        out.append(r)
    return out


def actor_forms(gold: dict) -> dict[str, set[str]]:
    """Gold actor name -> every way of writing it (name and forms), lowercased."""
    return {a["name"]: {a["name"].lower(), *(f.lower() for f in a.get("forms", []) or [])}
            for a in gold.get("actors", [])}


def _has_actor(name: str, event_actors: list[str] | None, forms: dict[str, set[str]]) -> bool:
    want = forms.get(name, {name.lower()})
    return any(str(a).lower() in want for a in event_actors or [])


def _check_event(g: dict, e: dict, doc_ids: dict[str, str], forms: dict[str, set[str]] | None = None) -> dict:
    date = g.get("date") or {}
    want = _as_str(date.get("value"))
    accept = {want, *(_as_str(a) for a in date.get("accept", []) or [])}
    precision = date.get("precision")
    conflict_expected = bool(g.get("conflict"))
    checks = {
        "in_docs": bool({doc_ids.get(f) for f in g.get("mentioned_in", [])} & e["docs"]),
        "actors": all(_has_actor(a, e["actors"], forms or {}) for a in g.get("actors", [])),
    }
    # a time of day is that day: "at 16:00 UTC today" matches a gold day
    value = e["value"].split("T")[0] if precision == "day" and e["precision"] == "time" and e["value"] else e["value"]
    if conflict_expected:
        checks["value"] = value in accept or want in e["claim_values"]
        checks["conflict"] = bool(e["conflict"]) and len(e["claim_values"]) >= 2
    else:
        checks["value"] = value in accept
    if precision == APPROXIMATE:
        checks["precision"] = e["mod"] == "APPROX" or e["precision"] in ("month", "year")
    else:
        checks["precision"] = e["precision"] == precision or (precision == "day" and e["precision"] == "time")
    if date.get("mod"):
        checks["mod"] = e["mod"] == date.get("mod")
    return checks


def match_events(gold: dict, events: list[dict], doc_ids: dict[str, str]) -> list[dict]:
    """For each dated gold event, the best extracted event and which checks pass."""
    results = []
    forms = actor_forms(gold)
    for g in gold.get("events", []):
        if not g.get("date"):
            continue
        best: tuple[int, dict, dict] | None = None
        for e in events:
            if e["start"] is None:
                continue
            checks = _check_event(g, e, doc_ids, forms)
            score = sum(checks.values())
            if best is None or score > best[0]:
                best = (score, e, checks)
        ok = best is not None and all(best[2].values())
        results.append({
            "id": g["id"], "required": bool(g.get("required")), "ok": ok,
            "event": None if best is None else {
                k: best[1][k] for k in ("id", "title", "type", "value", "precision", "mod", "actors", "conflict", "conflict_note")
            },
            "checks": None if best is None else best[2],
        })
    return results


def _date_matches(g: dict, e: dict) -> bool:
    """The event's date is the gold date at the gold's precision (or an accepted value),
    or, for a conflict, one of the event's claims is."""
    date = g.get("date") or {}
    want = {_as_str(date.get("value")), *(_as_str(a) for a in date.get("accept", []) or [])}
    values = {e["value"], *e["claim_values"]} if g.get("conflict") else {e["value"]}
    for v in values:
        if not v:
            continue
        for w in want:
            if w and (v == w or (len(w) < len(v) and v.startswith(w) and date.get("precision") != "day")):
                return True
    return False


def precision_share(gold: dict, events: list[dict], doc_ids: dict[str, str],
                    min_salience: float | None = None) -> dict:
    """Share of extracted *dated* events that match some gold event (optional ones too) on
    document, date and at least one actor: a lower bound of precision, since the gold
    lists only the events its annotators chose. With ``min_salience``: only the events the
    timeline shows by default."""
    forms = actor_forms(gold)
    gold_events = [g for g in gold.get("events", []) if g.get("date")]
    dated = [e for e in events if e["start"] is not None
             and (min_salience is None or (e.get("salience") or 0.0) >= min_salience)]
    undated = [e for e in events if e["start"] is None]
    matched = 0
    for e in dated:
        for g in gold_events:
            if not ({doc_ids.get(f) for f in g.get("mentioned_in", [])} & e["docs"]):
                continue
            if _date_matches(g, e) and any(_has_actor(a, e["actors"], forms) for a in g.get("actors", [])):
                matched += 1
                break
    return {"dated": len(dated), "matched": matched, "share": matched / len(dated) if dated else 0.0,
            "undated": len(undated)}


def date_f1(gold: dict, events: list[dict]) -> dict:
    gold_values = {_as_str((g.get("date") or {}).get("value")) for g in gold.get("events", []) if g.get("date")}
    accepted = {
        _as_str(a) for g in gold.get("events", []) if g.get("date") for a in (g["date"].get("accept") or [])
    }
    pred = {e["value"] for e in events if e["value"]}
    tp_p = len({p for p in pred if p in gold_values or p in accepted})
    tp_r = len({v for v in gold_values if v in pred})
    p = tp_p / len(pred) if pred else 0.0
    r = tp_r / len(gold_values) if gold_values else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "gold": len(gold_values), "predicted": len(pred)}


def actor_scores(gold: dict, store, frames: Frames) -> dict:
    mentions = store.table("actor_mentions")
    resolved = mentions[mentions["resolved"].astype(bool) & (mentions["kind"] != "place")]
    found = set(resolved["name"].astype(str))
    gold_names = {a["name"] for a in gold.get("actors", [])}
    p = len(found & gold_names) / len(found) if found else 0.0
    r = len(found & gold_names) / len(gold_names) if gold_names else 0.0
    not_actors = [n.lower() for n in gold.get("not_actors", [])]
    as_actor = {str(x).lower() for x in list(mentions["name"]) + list(mentions["text"]) + list(frames.actors["name"])}
    false = sorted(n for n in gold.get("not_actors", []) if any(n.lower() in a for a in as_actor))
    return {"precision": p, "recall": r, "found": sorted(found), "missing": sorted(gold_names - found),
            "extra": sorted(found - gold_names), "false_actors": false, "not_actors": len(not_actors)}


def surface_forms(gold: dict, store) -> dict:
    """Every occurrence of every gold surface form must sit inside a mention of its actor."""
    mentions = store.table("actor_mentions")
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    for d, s, e, n in zip(mentions["doc_id"], mentions["start"], mentions["end"], mentions["name"]):
        by_doc.setdefault(str(d), []).append((int(s), int(e), str(n)))
    total, mapped, misses = 0, 0, []
    texts = {d.id: d.text for d in store.iter_documents()}
    forms = [(a["name"], f) for a in gold.get("actors", []) for f in a.get("forms", [])]
    names_of = actor_forms(gold)

    def occurrences(form: str, text: str) -> list[re.Match]:
        return list(re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text))

    for actor in gold.get("actors", []):
        for form in actor.get("forms", []):
            seen = False
            for doc_id, text in texts.items():
                longer = [(o.start(), o.end()) for owner, f in forms
                          if owner != actor["name"] and len(f) > len(form) and form in f
                          for o in occurrences(f, text)]
                for m in occurrences(form, text):
                    if any(s <= m.start() and m.end() <= e for s, e in longer):
                        continue  # "Russia" inside "President of Russia Vladimir Putin" is Putin
                    seen = True
                    hit = [n for s, e, n in by_doc.get(doc_id, []) if s < m.end() and m.start() < e]
                    # an open-world actor is named as the text names it ("GM"): any of the gold's forms
                    ok = actor["name"] in hit or any(n.lower() in names_of[actor["name"]] for n in hit)
                    if not ok:
                        misses.append(f"{form!r} -> {hit or 'nothing'} (want {actor['name']})")
                        break
                else:
                    continue
                break
            if seen:
                total += 1
                mapped += not any(x.startswith(repr(form) + " ") for x in misses)
    return {"mapped": mapped, "total": total, "misses": misses}


def evaluate(gold_path: Path, docs_dir: Path | None = None, db: str | None = None,
             extractor: str | None = None) -> dict:
    gold = load_gold(gold_path)
    if db:
        from timeline.store import Store

        store = Store(db, read_only=True)
        doc_ids = {}
        by_origin = {Path(d.origin or "").name: d.id for d in store.iter_documents()}
        for entry in gold["documents"]:
            if entry["file"] in by_origin:
                doc_ids[entry["file"]] = by_origin[entry["file"]]
    else:
        docs_dir = docs_dir or gold_path.resolve().parent.parent / "seeds"
        store, doc_ids = build_store(gold, docs_dir, extractor)
    frames = load_frames(store)
    events = _event_table(frames)
    matches = match_events(gold, events, doc_ids)
    required = [m for m in matches if m["required"]]
    conflicts = [{"title": e["title"], "value": e["value"], "note": e["conflict_note"]} for e in events if e["conflict"]]
    result = {
        "required_found": sum(m["ok"] for m in required),
        "required_total": len(required),
        "optional_found": sum(m["ok"] for m in matches if not m["required"]),
        "optional_total": sum(not m["required"] for m in matches),
        "events": matches,
        "date_f1": date_f1(gold, events),
        "actors": actor_scores(gold, store, frames),
        "surface_forms": surface_forms(gold, store),
        "conflicts": conflicts,
        "n_events": len(events),
        "precision_share": precision_share(gold, events, doc_ids),
        "precision_share_default": precision_share(gold, events, doc_ids, DEFAULT_MIN_SALIENCE),
        "doc_ids": doc_ids,
    }
    store.close()
    return result


def report_lines(r: dict) -> list[str]:
    lines = [f"required events: {r['required_found']}/{r['required_total']}   "
             f"(optional: {r['optional_found']}/{r['optional_total']})"]
    for m in r["events"]:
        mark = "ok  " if m["ok"] else "MISS"
        e = m["event"] or {}
        failed = [k for k, v in (m["checks"] or {}).items() if not v]
        lines.append(
            f"  {mark} {m['id']:<24} {'required' if m['required'] else 'optional':<8} -> "
            f"{e.get('value')} {e.get('precision')} {e.get('mod') or ''} {e.get('actors')}"
            + (f"  failed: {', '.join(failed)}" if failed else "")
        )
    d = r["date_f1"]
    lines.append(f"Date-F1: {d['f1']:.2f} (P {d['precision']:.2f} over {d['predicted']} predicted dates, "
                 f"R {d['recall']:.2f} over {d['gold']} gold dates)")
    a = r["actors"]
    lines.append(f"actors: precision {a['precision']:.2f}, recall {a['recall']:.2f}; missing {a['missing']}; extra {a['extra']}")
    lines.append(f"false actors (not_actors found): {len(a['false_actors'])} {a['false_actors']}")
    s = r["surface_forms"]
    lines.append(f"surface forms mapped: {s['mapped']}/{s['total']}" + (f"  misses: {s['misses']}" if s["misses"] else ""))
    for key, label in (("precision_share", "all dated events"),
                       ("precision_share_default", f"default view (salience >= {DEFAULT_MIN_SALIENCE})")):
        ps = r[key]
        lines.append(f"dated events matching a gold event (date + one actor), {label}: {ps['matched']}/{ps['dated']}"
                     f" = {ps['share']:.0%}")
    lines.append(f"undated events: {r['precision_share']['undated']}")
    lines.append(f"conflicts: {len(r['conflicts'])}")
    for c in r["conflicts"]:
        lines.append(f"  {c['value']} {c['title']}: {c['note']}")
    return lines


def cli(args: argparse.Namespace) -> int:
    result = evaluate(Path(args.gold), Path(args.docs) if args.docs else None, args.db,
                      getattr(args, "extractor", None))
    for line in report_lines(result):
        print(line)
    if getattr(args, "json", None):
        Path(args.json).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0 if result["required_found"] == result["required_total"] else 1
