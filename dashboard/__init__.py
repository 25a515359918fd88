"""Streamlit glue for the dashboard: session-state keys, cached loaders, sidebar widgets,
evidence rendering. Pages import from here; the library (``timeline/``) never imports this."""
