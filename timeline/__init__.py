"""Event timelines from news articles. The library never imports streamlit."""

__version__ = "0.1.0"
