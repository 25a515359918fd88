"""Sources: the stored documents; add files or pasted text; fix a missing publication date."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, view
from timeline.dates import MAX_DATE, MIN_DATE  # the one date range of every entry point
from timeline.errors import UserError
from timeline.ingest import (
    CONTAINER_FACTOR,
    default_max_bytes,
    ingest_documents,
    parse_upload,
    upload_limit_mb,
)
from timeline.model import Document

FLASH = "_sources_flash"  # messages that survive the rerun after a write

frames = data.frames()
docs = frames.documents
for kind, message in st.session_state.pop(FLASH, []):
    getattr(st, kind)(message)
counts = data.events_per_document()
st.subheader(f"Documents ({len(docs):,})")
if len(docs):
    table = pd.DataFrame({
        "published": docs["published"].dt.date,
        "source": docs["source"],
        "title": docs["title"],
        "events": docs["id"].map(counts).fillna(0).astype(int),
        "characters": docs["n_chars"],
        "url": docs["url"],
        "file": docs["origin"],
        "id": docs["id"],
    })
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"url": st.column_config.LinkColumn("url")})
else:
    view.empty_store_hint(frames)


def store_and_extract(parsed: list[Document], messages: list[tuple[str, str]]) -> None:
    """Store new documents and extract their events (progress bar), then show the result."""
    bar = st.progress(0.0, text="Storing…")
    with data.writable_store() as store:
        report = ingest_documents(parsed, store)
        for line in report.lines:
            if line.status == "duplicate":
                messages.append(("info", f"{line.path}: already stored "
                                         f"({line.duplicate_origin})."))
        if report.stored_ids:
            from timeline.pipeline import extract_store

            def progress(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=f"Extracting events: {done}/{total}")

            summary = extract_store(store, progress=progress, doc_ids=report.stored_ids)
            st.session_state["_last_summary"] = summary.lines()
    bar.progress(1.0, text="Done")
    messages.insert(0, ("success", f"{report.stored} document(s) added."))
    st.session_state[FLASH] = messages
    st.rerun()  # redraw the document table and every cached view with the new data


def _optional(value: str) -> str | None:
    return value.strip() or None


st.subheader("Add articles")
upload_tab, paste_tab = st.tabs(["Upload files", "Paste text"])
with upload_tab:
    with st.form("upload_form", clear_on_submit=True):
        per_article = default_max_bytes()
        # the server refuses bodies above server.maxUploadSize whatever the widget says
        limit_mb = min(upload_limit_mb(per_article), int(st.get_option("server.maxUploadSize")))
        files = st.file_uploader(
            "Articles (txt, md, html, json, jsonl, csv, zip)", accept_multiple_files=True,
            key="upload_files", max_upload_size=limit_mb,
            help=f"Each article may be up to {per_article / 1_000_000:.1f} MB (larger ones are "
                 "refused with a message); a zip, csv, json or jsonl holding many articles up "
                 f"to {min(per_article * CONTAINER_FACTOR, limit_mb * 1024 * 1024) / 1_000_000:,.0f}"
                 " MB in all.")
        st.caption(f"Limits: {per_article / 1_000_000:.1f} MB per article; {limit_mb:,} MB per "
                   "uploaded file (a zip, csv, json or jsonl of many articles).")
        c1, c2 = st.columns(2)
        source = c1.text_input("Source / outlet (if the file does not say)", key="upload_source")
        published = c2.date_input("Publication date (if the file does not say)", value=None,
                                  key="upload_published", min_value=MIN_DATE,
                                  max_value=MAX_DATE, format="YYYY-MM-DD")
        submitted = st.form_submit_button("Add files")
    if submitted and files:
        parsed: list[Document] = []
        messages: list[tuple[str, str]] = []
        for f in files:
            try:
                parsed += parse_upload(f.name, f.getvalue(), published=published,
                                       source=_optional(source))
            except UserError as exc:
                messages.append(("error", f"{f.name} was not added: "
                                          f"{getattr(exc, 'reason', exc)}"))
        if parsed:
            try:
                store_and_extract(parsed, messages)
            except UserError as exc:
                messages.append(("error", str(exc)))
        for kind, message in messages:
            getattr(st, kind)(message)
    elif submitted:
        st.warning("Choose at least one file.")

with paste_tab:
    with st.form("paste_form"):
        text = st.text_area("Article text", height=200, key="paste_text")
        c1, c2, c3 = st.columns(3)
        title = c1.text_input("Title", key="paste_title")
        p_source = c2.text_input("Source / outlet", key="paste_source")
        p_published = c3.date_input("Publication date", value=None, key="paste_published",
                                    min_value=MIN_DATE, max_value=MAX_DATE,
                                    format="YYYY-MM-DD")
        pasted = st.form_submit_button("Add text")
    if pasted:
        try:
            docs_in = parse_upload("pasted.txt", text.encode("utf-8"), published=p_published,
                                   source=_optional(p_source), title=_optional(title))
        except UserError as exc:
            st.error(f"The text was not added: {getattr(exc, 'reason', exc)}")
        else:
            notes = [] if p_published is not None else [(
                "warning", "No publication date: relative dates ('yesterday', 'last year') "
                           "stay unresolved until you set one below.")]
            store_and_extract(docs_in, notes)

if st.session_state.get("_last_summary"):
    with st.expander("Last extraction"):
        st.code("\n".join(st.session_state["_last_summary"]), language=None)

missing = docs.loc[docs["published"].isna()] if len(docs) else docs
if len(missing):
    st.subheader("Documents without a publication date")
    st.caption("Relative dates in these articles cannot be resolved. Set the date and the "
               "document is re-extracted.")
    names = dict(zip(missing["id"], missing["title"].fillna(missing["id"])))
    with st.form("fix_date"):
        doc_id = st.selectbox("Document", list(names), format_func=names.get, key="fix_doc")
        new_date = st.date_input("Publication date", value=None, key="fix_date_value",
                                 min_value=MIN_DATE, max_value=MAX_DATE,
                                 format="YYYY-MM-DD")
        fix = st.form_submit_button("Set date and re-extract")
    if fix and doc_id and new_date:
        from timeline.pipeline import extract_store

        with st.spinner("Re-extracting…"), data.writable_store() as store:
            store.set_published(doc_id, new_date)
            extract_store(store, doc_ids=[doc_id])
        st.session_state[FLASH] = [("success", f"Publication date set to {new_date}; "
                                               "dates re-resolved.")]
        st.rerun()
    elif fix:
        st.warning("Choose a document and a date.")
