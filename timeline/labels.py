"""Which events get their title written on the chart, and where (pure, no plotting).

* :func:`salience` ranks events: the extraction's ``salience`` column (0..1) when the
  frame has it, else a fallback from the number of sources and the date precision.
* :func:`place_labels` is a lane-aware greedy placement in pixel space: the most
  salient event first, each label tried beside its mark (right, left), then in the
  gap above or below its lane with a leader line, and kept only where it overlaps no
  other label, no mark and no span. Crowded (zoomed-out) views therefore get few
  labels and narrow (zoomed-in, filtered) views many, with no fixed threshold.

Geometry is estimated for a *minimum* plot size: on a wider or taller plot marks move
apart while labels keep their pixel offsets, so a placement that does not overlap at
the estimate does not overlap there either.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Fallback salience: how much a date's precision says about an event being datable news.
PRECISION_WEIGHT = {"day": 1.0, "week": 0.8, "month": 0.6, "quarter": 0.5, "season": 0.5,
                    "half": 0.45, "year": 0.35, "decade": 0.2, "century": 0.1}
#: Sources beyond this many add nothing to the fallback salience.
SOURCES_CAP = 5
LABEL_FONT_PX = 11
CHAR_PX = 6.7        # DejaVu Sans at 11 px averages ~6.2 px a character: estimate wide
LABEL_PAD_PX = 6     # background padding, both sides together
LABEL_H_PX = 17
MARK_GAP_PX = 9      # from a mark's centre to the near edge of a label beside it
MAX_TITLE_CHARS = 34
DEFAULT_MAX_LABELS = 30


def salience(events: pd.DataFrame) -> np.ndarray:
    """0..1 per event, higher = more worth naming on the chart.

    Uses ``events["salience"]`` where the frame has that column and the value is set;
    elsewhere ``0.7 * min(n_sources, 5) / 5 + 0.3 * precision weight`` (day 1 ... century 0.1).
    """
    n = len(events)
    if n == 0:
        return np.zeros(0)
    sources = events["n_sources"].fillna(1).to_numpy(dtype=float) if "n_sources" in events \
        else np.ones(n)
    precision = events["precision"].astype(object).to_numpy() if "precision" in events \
        else np.full(n, None)
    weight = np.array([PRECISION_WEIGHT.get(p, 0.0) if isinstance(p, str) else 0.0
                       for p in precision])
    fallback = 0.7 * np.minimum(sources, SOURCES_CAP) / SOURCES_CAP + 0.3 * weight
    if "salience" not in events:
        return fallback
    given = pd.to_numeric(events["salience"], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isnan(given), fallback, np.clip(given, 0.0, 1.0))


def short_title(title: object, max_chars: int = MAX_TITLE_CHARS) -> str:
    """The title cut at a word boundary to ``max_chars`` (an ellipsis marks the cut)."""
    text = " ".join(str(title).split()) if title is not None and not pd.isna(title) else ""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0] if " " in text[: max_chars - 1] else \
        text[: max_chars - 1]
    return cut.rstrip(",;:.-–") + "…"


def label_width(text: str) -> float:
    return len(text) * CHAR_PX + LABEL_PAD_PX


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def inside(self, width: float, height: float) -> bool:
        return self.x0 >= 0 and self.y0 >= 0 and self.x1 <= width and self.y1 <= height


@dataclass(frozen=True)
class Placement:
    """A label: the event, its text, the mark it names (pixels) and the offset of the
    label's centre from that mark (pixels, y down), as plotly's ``ax``/``ay`` take it."""

    index: int
    text: str
    x: float
    y: float
    dx: float
    dy: float

    @property
    def box(self) -> Box:
        w = label_width(self.text)
        cx, cy = self.x + self.dx, self.y + self.dy
        return Box(cx - w / 2, cy - LABEL_H_PX / 2, cx + w / 2, cy + LABEL_H_PX / 2)


def _offsets(width: float, pitch: float) -> list[tuple[float, float]]:
    """Candidate centre offsets, best first: beside the mark, then in the lane gaps."""
    side = MARK_GAP_PX + width / 2
    out = [(side, 0.0), (-side, 0.0)]
    gap = pitch / 2
    if gap >= LABEL_H_PX * 0.5 + 7:  # room between this lane's marks and the next lane's
        for shift in (0.0, 24.0, 60.0, 120.0):
            lead = width / 2 + 4 + shift
            out += [(lead, -gap), (-lead, -gap), (lead, gap), (-lead, gap)]
    return out


def place_labels(
    candidates: Sequence[tuple[str, Sequence[tuple[int, float, float]]]],
    obstacles: np.ndarray,
    width: float,
    height: float,
    pitch: float,
    max_labels: int = DEFAULT_MAX_LABELS,
) -> list[Placement]:
    """Greedy placement: ``candidates`` are (text, marks), most salient first, where marks
    are the (index, x px, y px) of the event's mark in each of its lanes, busiest lane first.

    ``obstacles`` is an (n, 4) array of boxes (x0, y0, x1, y1) labels must not cover
    (marks, spans). A label is kept at the first offset where its box stays inside the
    plot (``width`` x ``height`` px) and overlaps neither an obstacle nor a label already
    placed. At most ``max_labels`` are kept; only the ``8 * max_labels`` most salient
    candidates are tried (the rest could not outrank them).
    """
    placed: list[Placement] = []
    fixed = np.asarray(obstacles, dtype=float).reshape(-1, 4)
    taken = np.zeros((0, 4))
    for text, marks in candidates[: 8 * max_labels]:
        if len(placed) >= max_labels:
            break
        if not text:
            continue
        spot = _first_free(text, marks, fixed, taken, width, height, pitch)
        if spot is not None:
            placed.append(spot)
            b = spot.box
            taken = np.vstack([taken, [b.x0, b.y0, b.x1, b.y1]])
    return placed


def _first_free(text: str, marks: Sequence[tuple[int, float, float]], fixed: np.ndarray,
                taken: np.ndarray, width: float, height: float, pitch: float) -> Placement | None:
    """The first free spot: each offset tried in every lane of the event before the next."""
    for dx, dy in _offsets(label_width(text), pitch):
        for index, x, y in marks:
            p = Placement(index, text, x, y, dx, dy)
            b = p.box
            if b.inside(width, height) and not _overlaps(b, fixed) and not _overlaps(b, taken):
                return p
    return None


def _overlaps(b: Box, boxes: np.ndarray) -> bool:
    if not len(boxes):
        return False
    return bool(np.any((b.x0 < boxes[:, 2]) & (boxes[:, 0] < b.x1)
                       & (b.y0 < boxes[:, 3]) & (boxes[:, 1] < b.y1)))
