"""The extraction cache: an article's extraction kept on disk, keyed by what it depends on.

An entry's key is the SHA-256 of the pipeline's identity and the article's
content (every field the extractors see: id, text, paragraphs, date, title,
URL, citations and the input's own content hash; not ``source``, which only
names the file in messages). The pipeline's identity (:func:`pipeline_identity`)
is newskg's version, the spaCy model's name and version
(:func:`kg.extract.model_identity`) and a hash of every file under
``kg/extract/`` (the extractors' data files and code) and ``kg/data/``, plus
``kg/model.py`` and ``kg/text.py``: editing a lexicon, a rule or the model
invalidates every entry made before, since any article may be affected, and
nothing else does. The code is part of the identity because a developer's
edit does not change the version number.

Entries are written to a temporary file in the entry's folder and renamed
into place, so two builds sharing a cache never see half an entry; both may
write the same entry, and either copy is the same bytes. Each entry carries
the SHA-256 of its body: a corrupt or truncated entry is logged, re-extracted
and rewritten, never trusted. The body is JSON (not pickle), so a cache file
can never run code.

A second kind of entry keeps a built article (its N-Quads lines, event kinds
and validation failures) when each article is validated on its own by the
default checks, under :func:`build_identity`, which adds every module of the
package, the shapes and the base IRI: any edit to mapping or validation is a
miss. Asking the model its name loads it (about a second), so the answer is
remembered in ``models.json`` under :func:`model_fingerprint`, the installed
model package's files; a warm rebuild then loads no model at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import tempfile
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import kg
from kg.model import Article, Extraction

log = logging.getLogger(__name__)

FORMAT = b"newskg-extraction-1"  # first bytes of every entry; a new layout gets a new name
PACKAGE = Path(__file__).resolve().parent
#: Folders and files whose content is part of the pipeline's identity (module attribute, so tests can point it
#: at a copy and edit a data file).
IDENTITY_PATHS: tuple[Path, ...] = (
    PACKAGE / "extract",
    PACKAGE / "data",
    PACKAGE / "model.py",
    PACKAGE / "text.py",
)


def default_cache_dir() -> Path:
    """The user's cache folder for newskg: platformdirs' answer if it is installed, else the XDG rule.

    The XDG rule: ``$XDG_CACHE_HOME/newskg``, or ``~/.cache/newskg`` when the
    variable is unset or not an absolute path.
    """
    try:
        import platformdirs
    except ImportError:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        root = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
        return root / "newskg"
    return Path(platformdirs.user_cache_dir("newskg", appauthor=False))


def _files_digest(paths: tuple[Path, ...]) -> str:
    h = hashlib.sha256()
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            if "__pycache__" in f.parts or f.suffix in (".pyc", ".pyo"):
                continue
            rel = f.relative_to(root.parent).as_posix()
            h.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def model_fingerprint() -> str:
    """Which model package is installed, cheaply: its name, version and files' sizes and times, spaCy's version.

    Found the way :func:`kg.extract.nlp.pipeline` finds the model (the first
    of ``MODEL_PACKAGES`` that is installed), without importing spaCy.
    """
    import importlib.util
    from importlib import metadata

    from kg.extract.nlp import MODEL_PACKAGES

    parts = []
    for dist in ("spacy",):
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist} missing")
    for name in MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(next(iter(spec.submodule_search_locations)))
        stats = [f"{p.relative_to(folder).as_posix()}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                 for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix not in (".pyc", ".pyo")]
        parts += [name, str(folder), *stats]
        break
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def pipeline_identity(paths: tuple[Path, ...] | None = None, model: str | None = None) -> str:
    """What an extraction depends on besides the article, as one hex digest.

    newskg's version, the NLP model's name and version (``model``, default
    :func:`kg.extract.model_identity`), and the content of the extractors'
    data files and code (``IDENTITY_PATHS``).
    """
    if model is None:
        from kg.extract import model_identity

        model = model_identity()
    parts = [f"newskg {kg.__version__}", model, _files_digest(paths or IDENTITY_PATHS)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def build_identity(pipeline: str, shapes: Path | None, base: str | None, validate: bool = True) -> str:
    """What a built article (its quads, validated) depends on besides the article, as one hex digest.

    The pipeline's identity, every module of the package (mapping, validation
    and the rest), the shapes (``shapes``, or the default ones) and the base IRI.
    """
    from kg.validate import default_shapes

    modules = tuple(sorted(PACKAGE.glob("*.py")))
    shaped = _files_digest((shapes or default_shapes(),)) if validate else "not validated"
    parts = [pipeline, _files_digest(modules), shaped, base or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def article_key(article: Article) -> str:
    """The content hash of an article as the extractors see it (``source`` left out)."""
    rec = _encode(dataclasses.replace(article, source=""))
    return hashlib.sha256(json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- JSON codec of the model


def _encode(value: Any) -> Any:
    """Model objects as plain JSON values: a dataclass as the list of its fields, in order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


@cache
def _hints(cls: type) -> list[tuple[str, Any]]:
    hints = typing.get_type_hints(cls)
    return [(f.name, hints[f.name]) for f in dataclasses.fields(cls)]


Decoder = Callable[[Any], Any]


def _check(kind: type | tuple[type, ...], what: str) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
            raise ValueError(f"expected {what}, got {type(value).__name__}")
        return value

    return decode


@cache
def _decoder(hint: Any) -> Decoder:
    """A function that turns what :func:`_encode` made of a ``hint`` value back into it; raises on any mismatch.

    Made once per type hint of the model (the model's types are few), so a
    cached extraction decodes at the speed of a few function calls per value.
    """
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(hint) if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"cannot decode {hint!r}")
        some = _decoder(inner[0])
        return lambda v: None if v is None else some(v)
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])

            def many(value: Any) -> Any:
                if not isinstance(value, list):
                    raise ValueError(f"expected a list, got {type(value).__name__}")
                return tuple(map(item, value))

            return many
        parts = [_decoder(a) for a in args]

        def fixed(value: Any) -> Any:
            if not isinstance(value, list) or len(value) != len(parts):
                raise ValueError("expected a list of the right length")
            return tuple(f(v) for f, v in zip(parts, value, strict=True))

        return fixed
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        names = [name for name, _ in _hints(hint)]
        fields = [_decoder(h) for _, h in _hints(hint)]
        cls = hint

        def record(value: Any) -> Any:
            if not isinstance(value, list) or len(value) != len(fields):
                raise ValueError(f"{cls.__name__}: expected {len(fields)} fields")
            return cls(**{n: f(v) for n, f, v in zip(names, fields, value, strict=True)})

        return record
    if hint is Any:
        return lambda v: v
    if origin is typing.Literal or hint is str:
        return _check(str, "a string")
    if hint is int:
        return _check(int, "an integer")
    if hint is bool:
        return _check(bool, "true or false")
    raise TypeError(f"cannot decode {hint!r}")


def encode_extraction(found: Extraction) -> bytes:
    """An extraction's JSON body, without its article (the key stands for it) and its parse."""
    rec = _encode(dataclasses.replace(found, article=Article(id="", text="", source=""), parse=None))
    return json.dumps(rec[1:-1], ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_extraction(body: bytes, article: Article) -> Extraction:
    """The extraction of ``article`` from a body :func:`encode_extraction` wrote; ValueError if it is not one."""
    rec = json.loads(body.decode("utf-8"))
    fields = _hints(Extraction)[1:-1]  # neither the article nor the parse is stored
    if not isinstance(rec, list) or len(rec) != len(fields):
        raise ValueError("not an extraction")
    values = {name: _decoder(h)(v) for (name, h), v in zip(fields, rec, strict=True)}
    return Extraction(article=article, **values)


# --------------------------------------------------------------------------- the cache


@dataclass
class CacheStats:
    """What a cache answered in this process."""

    hits: int = 0
    misses: int = 0
    corrupt: int = 0


@dataclass
class ExtractionCache:
    """Extractions on disk under ``root``, one file per (pipeline identity, article content).

    Picklable (a worker process gets its own copy and writes the same files).
    ``identity`` is computed on first use unless given.
    """

    root: Path
    identity: str = ""
    stats: CacheStats = field(default_factory=CacheStats)

    def __post_init__(self) -> None:
        self.root = Path(self.root)

    def pipeline(self) -> str:
        """The pipeline identity this cache files extractions under (computed on first use)."""
        if not self.identity:
            self.identity = pipeline_identity(model=self.model())
        return self.identity

    def model(self) -> str:
        """:func:`kg.extract.model_identity`, remembered in the cache folder by :func:`model_fingerprint`.

        Asking the model its name loads it (about a second); a warm rebuild
        needs no model at all, so the answer is kept, and asked again when
        the installed model package's files change.
        """
        from kg.extract import model_identity

        memo = self.root / "models.json"
        key = model_fingerprint()
        try:
            known = json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if not isinstance(known, dict):
            known = {}
        value = known.get(key)
        if isinstance(value, str) and value:
            return value
        value = model_identity()
        known[key] = value
        self.root.mkdir(parents=True, exist_ok=True)
        self._write_plain(memo, json.dumps(known, sort_keys=True, indent=1).encode("utf-8"))
        return value

    @property
    def folder(self) -> Path:
        """Where this pipeline's entries live: one folder per identity, so a new pipeline starts afresh."""
        return self.root / "extractions" / self.pipeline()[:24]

    def path(self, article: Article) -> Path:
        """The entry file of ``article``."""
        folder = self.folder  # computes the identity on first use
        key = hashlib.sha256(f"{self.identity}\x1f{article_key(article)}".encode()).hexdigest()
        return folder / key[:2] / f"{key[2:]}.json"

    def _read(self, entry: Path, article: Article) -> bytes | None:
        """An entry's body if it is whole (its checksum matches); None, counted, if missing or unusable."""
        try:
            data = entry.read_bytes()
        except FileNotFoundError:
            self.stats.misses += 1
            return None
        except OSError as err:
            log.warning("extraction cache: cannot read %s (%s); working it out again", entry, err.strerror or err)
            self.stats.misses += 1
            return None
        head, _, body = data.partition(b"\n")
        name, _, digest = head.partition(b" ")
        if name != FORMAT or digest != hashlib.sha256(body).hexdigest().encode("ascii"):
            self._corrupt(entry, article, "its checksum does not match: truncated or corrupt")
            return None
        return body

    def _corrupt(self, entry: Path, article: Article, why: str) -> None:
        log.warning("extraction cache: entry %s for %s is unusable (%s); working it out again", entry,
                    article.source, why)
        self.stats.corrupt += 1
        self.stats.misses += 1

    def _write(self, entry: Path, body: bytes) -> None:
        """Write an entry with its checksum (see :meth:`_write_plain`)."""
        self._write_plain(entry, FORMAT + b" " + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)

    def _write_plain(self, entry: Path, data: bytes) -> None:
        """Write a file: to a temporary file beside it, then renamed into place (logged, not raised, on failure)."""
        tmp: str | None = None
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, entry)
            tmp = None
        except OSError as err:
            log.warning("extraction cache: cannot write %s (%s)", entry, err.strerror or err)
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def get(self, article: Article) -> Extraction | None:
        """The cached extraction of ``article``, or None (missing, or corrupt: then logged and not trusted)."""
        entry = self.path(article)
        body = self._read(entry, article)
        if body is None:
            return None
        try:
            found = decode_extraction(body, article)
        except (ValueError, UnicodeDecodeError, TypeError) as err:
            self._corrupt(entry, article, str(err))
            return None
        self.stats.hits += 1
        return found

    def put(self, found: Extraction) -> None:
        """Store an extraction (atomically; a cache that cannot be written is logged and the build goes on)."""
        self._write(self.path(found.article), encode_extraction(found))

    def record_path(self, space: str, identity: str, article: Article) -> Path:
        """The entry of a record about ``article`` in ``space`` under an ``identity`` of its own."""
        key = hashlib.sha256(f"{identity}\x1f{article_key(article)}".encode()).hexdigest()
        return self.root / space / identity[:24] / key[:2] / f"{key[2:]}.json"

    def get_record(self, space: str, identity: str, article: Article) -> Any | None:
        """A JSON value stored by :meth:`put_record`, or None (missing or unusable)."""
        entry = self.record_path(space, identity, article)
        body = self._read(entry, article)
        if body is None:
            return None
        try:
            value = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as err:
            self._corrupt(entry, article, str(err))
            return None
        self.stats.hits += 1
        return value

    def put_record(self, space: str, identity: str, article: Article, value: Any) -> None:
        """Store a JSON value about ``article`` (atomically, as an extraction)."""
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self._write(self.record_path(space, identity, article), body)

    def extract(self, article: Article, extract: Callable[[Article], Extraction]) -> tuple[Extraction, bool]:
        """The extraction of ``article``: from the cache if there, else ``extract(article)``, then stored.

        Returns the extraction and whether it came from the cache.
        """
        found = self.get(article)
        if found is not None:
            return found, True
        found = extract(article)
        self.put(found)
        return found, False

