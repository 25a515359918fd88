"""Resolution, memoised on what the handler actually read.

Why: adversarial (and merely repetitive) text names the same month thousands of
times, and each mention runs the same handler on the same groups. Most of that work
does not depend on where the mention is, but some does (the words before it, the
tense of its sentence, the year an earlier "June 2023" gave), and the handlers are
edited often, so this memo does not guess what they depend on: it records it.

The second time a (rule, groups, length) comes up, its handler runs on a recording
context that notes every question it asks with the answer: a slice of the text near
the expression, the sentence's direction, the previous date, a month's remembered
year. Later mentions replay those questions on their own context; when every answer
is the same, so is the result, and the handler does not run. A different answer
grows a new branch, so each key holds a small decision tree.

What cannot be recorded makes its branch opaque (the handler then simply runs there):
the whole history list, the token index, a string method or ``len`` on the text, a
read more than ``REACH`` characters from the expression, a result that carries text
offsets (``parts``, ``ends``), a handler that raised. Assumed, as of any handler: its result is
a function of its groups and of what it reads (grammar look-ups and the run's fixed
publication date are constant within one run, which is the memo's lifetime), and it
uses positions only to read the text.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from timeline.temporal.resolve import Ctx, Result

REACH = 200  # reads must stay this close to the expression; nearer the text's edges nothing is memoised
_MISSING = object()  # a month with no remembered year
_OPAQUE = object()  # outcome: run the handler for real
_UNSET = object()  # a key not seen yet; a node with no outcome yet

Handler = Callable[[dict, Ctx], "Result | None"]


class _Opaque(BaseException):
    """The handler looked at the context in a way that cannot be recorded. A BaseException,
    so that no ``except Exception`` inside a handler can swallow it."""


def _answer(ctx: Ctx, question: tuple) -> object:
    """The answer to a recorded question, on ``ctx`` (offsets are relative to its start)."""
    kind = question[0]
    if kind == "text":
        return ctx.text[ctx.start + question[1]:ctx.start + question[2]]
    if kind == "direction":
        return ctx.direction()
    if kind == "previous":
        return ctx.previous(question[1], question[2])
    if kind == "month_year":
        return ctx.month_years.get(question[1], _MISSING)
    if kind == "story":
        return ctx.story()
    if kind == "follow":
        return ctx.follow(question[1], question[2])
    raise ValueError(f"unknown question {question!r}")


class _Recording:
    """What a handler sees of ``Ctx`` while it is recorded: the same names, every read noted."""

    __slots__ = ("_ctx", "asked", "text", "start", "end", "dct", "grammar", "month_years", "doc_type")

    def __init__(self, ctx: Ctx):
        self._ctx = ctx
        self.asked: list[tuple[tuple, object]] = []
        self.start, self.end, self.dct, self.grammar = ctx.start, ctx.end, ctx.dct, ctx.grammar
        self.doc_type = ctx.doc_type  # constant within a run, like the publication date
        self.text = _TextView(self, len(ctx.text))
        self.month_years = _MonthsView(self)

    def ask(self, question: tuple) -> object:
        answer = _answer(self._ctx, question)
        self.asked.append((question, answer))
        return answer

    def direction(self) -> str:
        return self.ask(("direction",))

    def previous(self, finest: str | None = None, original: bool = False):
        return self.ask(("previous", finest, original))

    def story(self):
        return self.ask(("story",))

    def follow(self, month_=None, day_=None):
        return self.ask(("follow", month_, day_))

    def lookup(self, lexicon: str, word: str | None):
        return self._ctx.lookup(lexicon, word)  # the grammar is constant: no question

    def __getattr__(self, name: str):  # history, breaks, words, anything added to Ctx later
        raise _Opaque(name)


class _TextView:
    """The text through the recorder: indexing and slicing near the expression only."""

    __slots__ = ("_rec", "_len")

    def __init__(self, rec: _Recording, length: int):
        self._rec, self._len = rec, length

    def __getitem__(self, key: int | slice) -> str:
        rec = self._rec
        if isinstance(key, slice):
            a, b, step = key.indices(self._len)
            if step != 1:
                raise _Opaque("a stepped slice")
        elif isinstance(key, int) and 0 <= key < self._len:
            a, b = key, key + 1
        else:
            raise _Opaque("an index")
        if min(a, b) < rec.start - REACH or max(a, b) > rec.end + REACH:
            raise _Opaque("a read far from the expression")
        return rec.ask(("text", a - rec.start, b - rec.start))

    def __getattr__(self, name: str):
        raise _Opaque(f"text.{name}")

    def _opaque(self, *_args):
        raise _Opaque("the text as a whole")

    __len__ = __iter__ = __contains__ = __eq__ = __ne__ = __hash__ = __str__ = _opaque


class _MonthsView:
    """``Ctx.month_years`` through the recorder: looking up one month is a question."""

    __slots__ = ("_rec",)

    def __init__(self, rec: _Recording):
        self._rec = rec

    def get(self, month: Hashable, default: object = None) -> object:
        year = self._rec.ask(("month_year", month))
        return default if year is _MISSING else year

    def __getitem__(self, month: Hashable) -> object:
        year = self._rec.ask(("month_year", month))
        if year is _MISSING:
            raise KeyError(month)
        return year

    def __contains__(self, month: Hashable) -> bool:
        return self._rec.ask(("month_year", month)) is not _MISSING

    def __getattr__(self, name: str):
        raise _Opaque(f"month_years.{name}")


@dataclass(slots=True)
class _Node:
    """Asks ``question`` and branches on the answer, or (no question) holds the outcome."""

    question: tuple | None = None
    answers: dict = field(default_factory=dict)
    outcome: object = _UNSET


class ResolutionMemo:
    """One run's memo: key -> decision tree of recorded questions (see the module docstring)."""

    def __init__(self) -> None:
        self._trees: dict[Hashable, _Node | None] = {}  # None: seen once, not recorded yet

    def resolve(self, handler: Handler, key: Hashable | None, groups: Callable[[], dict], ctx: Ctx) -> Result | None:
        """``handler(groups(), ctx)``, or its recorded result when ``key`` (None: never memoise)
        and everything the handler would read are the same as before. ``groups`` is called
        only when the handler runs (a replay needs the key alone)."""
        if key is None or ctx.start < REACH or ctx.end + REACH > len(ctx.text):
            return handler(groups(), ctx)
        node = self._trees.get(key, _UNSET)
        if node is _UNSET:  # most expressions are unique: recording them would be wasted work
            self._trees[key] = None
            return handler(groups(), ctx)
        try:
            while node is not None and node.question is not None:
                node = node.answers.get(_answer(ctx, node.question))
        except TypeError:  # an unhashable answer: never recorded
            return handler(groups(), ctx)
        if node is None or node.outcome is _UNSET:
            return self._record(handler, key, groups(), ctx)
        return handler(groups(), ctx) if node.outcome is _OPAQUE else node.outcome

    def _record(self, handler: Handler, key: Hashable, groups: dict, ctx: Ctx) -> Result | None:
        rec = _Recording(ctx)
        try:
            result = handler(groups, rec)  # type: ignore[arg-type]  # a stand-in for Ctx
        except (Exception, _Opaque):  # noqa: BLE001 - unrecordable or failing: run it for real below
            result = _OPAQUE
        outcome = _OPAQUE if result is not None and (result is _OPAQUE or result.parts or result.ends) else result
        self._grow(key, rec.asked, outcome)
        return handler(groups, ctx) if outcome is _OPAQUE else result

    def _grow(self, key: Hashable, asked: list[tuple[tuple, object]], outcome: object) -> None:
        node = self._trees.get(key) or _Node()
        self._trees[key] = node
        try:
            for question, answer in asked:
                if node.question is None and node.outcome is _UNSET:
                    node.question = question
                elif node.question != question:
                    return  # the handler asked something else this time: not deterministic, do not record
                node = node.answers.setdefault(answer, _Node())
        except TypeError:  # an unhashable answer
            return
        if node.question is None:
            node.outcome = outcome
