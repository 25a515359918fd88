"""Exports of the current view: images (PNG/SVG/PDF via kaleido + Chromium), HTML, open data.

Public names (see helpers' contracts): ``image_bytes``, ``html_bytes``,
``with_caption``, ``caption_for``, ``data_bytes``, ``ExportUnavailable``,
plus ``build_export_figure`` (the figure the CLI and the app both export).
"""
from __future__ import annotations

from timeline.export.caption import caption_for, with_caption
from timeline.export.data import DATA_FORMATS, data_bytes, date_label, export_records, neutralise_cell
from timeline.export.figure import build_export_figure, default_title, export_view
from timeline.export.images import (
    IMAGE_FORMATS,
    ExportUnavailable,
    browser_path,
    html_bytes,
    image_bytes,
    kaleido_options,
    prestart,
    shutdown,
)
from timeline.export.story import STORY_FORMATS
from timeline.export.theme import export_template

#: Folder formats (one file per target entity), written from the store, not from a view.
FOLDER_FORMATS = ("semeval-timeline",)
FORMATS = (*IMAGE_FORMATS, "html", *DATA_FORMATS, *STORY_FORMATS, *FOLDER_FORMATS)

__all__ = [
    "DATA_FORMATS", "FOLDER_FORMATS", "FORMATS", "IMAGE_FORMATS", "STORY_FORMATS", "ExportUnavailable", "browser_path",
    "build_export_figure", "caption_for", "data_bytes", "date_label", "default_title",
    "export_records", "export_template", "export_view", "html_bytes", "image_bytes", "kaleido_options",
    "neutralise_cell", "prestart", "shutdown", "with_caption",
]
