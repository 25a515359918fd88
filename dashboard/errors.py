"""The one place the app turns an error into what the user sees (like datasette's
``handle_exception``): a ``TimelineError`` is its one-line message; anything else is a
bug, shown as one line while the traceback goes to the server log. Streamlit's own
control flow (``st.rerun``, ``st.stop``) passes through."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from timeline.errors import StoreBusy, TimelineError, safe_text

_LOG = logging.getLogger("timeline.app")


def message(exc: BaseException) -> str:
    """The line shown for ``exc``."""
    if isinstance(exc, StoreBusy):
        return f"{exc} Nothing was changed; try again in a moment."
    if isinstance(exc, TimelineError):
        return str(exc)
    return safe_text(f"Internal error ({type(exc).__name__}: {exc}); this is a bug, "
                     "the details are in the server log.")


def show(exc: BaseException) -> None:
    if not isinstance(exc, TimelineError):
        _LOG.error("unexpected error in the app", exc_info=exc)
    st.error(message(exc))


@contextmanager
def handled() -> Iterator[None]:
    """Run a page: its errors are shown as one line, never as a traceback."""
    try:
        yield
    except ScriptControlException:
        raise
    except Exception as exc:  # noqa: BLE001 - the one handler of the app
        show(exc)
