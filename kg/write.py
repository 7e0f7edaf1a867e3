"""Writing quads to files: the five formats, deterministic bytes, atomic rename.

N-Quads and N-Triples are written as the articles come, so memory does not
grow with the corpus; Turtle, TriG and JSON-LD group statements by subject and
so hold the whole graph until the end. Quads are sorted within each article
(and, for the buffered formats, across the whole graph) so the same input
always gives the same bytes.

This module is also the one place that turns what the operating system says
about an output (a read-only folder, a path that is a folder, a parent that is
a file) into :class:`kg.errors.OutputError` naming the path
(:func:`output_errors`), the one place that turns record ids into output file
names (:func:`output_name`, :class:`NamedFiles`), and the keeper of the
temporary files in flight, so a signal handler can remove them
(:func:`remove_temporary_files`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import DefaultGraph, Quad, RdfFormat, parse, serialize

from kg.errors import OutputError, OutputNameError, UsageError
from kg.vocab import DEFAULT_BASE, PREFIXES, digest, instance_prefixes, json_ld_context, slug

log = logging.getLogger(__name__)

FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
}
SUFFIXES: dict[str, str] = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nq", ".jsonld": "jsonld"}
ALIASES: dict[str, str] = {
    "ttl": "turtle",
    "ntriples": "nt",
    "n-triples": "nt",
    "nquads": "nq",
    "n-quads": "nq",
    "json-ld": "jsonld",
}
STREAMING = {"nt", "nq"}
QUAD_FORMATS = {"trig", "nq", "jsonld"}


def format_for(output: str | None, fmt: str | None) -> str:
    """The format name for an output path and an optional explicit ``--format``."""
    if fmt:
        name = ALIASES.get(fmt.lower(), fmt.lower())
        if name not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(FORMATS))}")
        return name
    if output in (None, "-"):
        raise UsageError("writing to standard output needs --format (turtle, trig, nt, nq or jsonld)")
    suffix = Path(str(output)).suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(
            f"cannot tell the format of {output!r} from its suffix; use one of {', '.join(SUFFIXES)} or --format"
        )
    return SUFFIXES[suffix]


def _public_mode(fd: int) -> None:
    """Give a temporary file the mode a plain ``open()`` would have (mkstemp makes it 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)


# ------------------------------------------------------------------ OS errors and temporary files

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENAMETOOLONG: "file name too long",
    errno.EISDIR: "is a folder, not a file: give a file name",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENOENT: "no such folder",
}


def os_reason(err: OSError) -> str:
    """A short reason for an OS error, in words (``read-only file system``), never a traceback."""
    return _REASONS.get(err.errno or 0) or (err.strerror or type(err).__name__).lower()


def check_output_path(path: Path) -> None:
    """Raise :class:`OutputError` when ``path`` cannot be an output file: a folder, or under a file or nothing."""
    if path.is_dir():
        raise OutputError(str(path), "is a folder, not a file: give a file name")
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(str(path), f"{parent} is a file, not a folder")
    if parent != path.parent:
        raise OutputError(str(path), f"folder {path.parent} does not exist")


def check_output_folder(folder: Path) -> None:
    """Raise :class:`OutputError` when ``folder`` exists as a file or lies under one (it may be missing)."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        what = "is a file, not a folder" if probe == folder else f"lies under {probe}, a file, not a folder"
        raise OutputError(str(folder), what)


@contextlib.contextmanager
def output_errors(path: str | Path) -> Iterator[None]:
    """Turn any OSError in the block into :class:`OutputError` naming ``path`` and the reason.

    The one place where what the operating system says about an output
    becomes a one-line message (and exit 2 in the CLI).
    """
    try:
        yield
    except OSError as err:
        reason = os_reason(err)
        if err.errno == errno.ENOENT and Path(path).parent.is_dir():
            reason = "the folder takes no new files (no such file or directory)"  # /proc, /sys
        raise OutputError(str(path), reason) from None


_TEMPORARY: set[str] = set()  # temporary files this process is writing, until renamed or removed


def temporary_file(target: Path) -> tuple[int, str]:
    """Open a temporary file beside ``target`` (mode as a plain ``open()`` gives), and remember it until
    :func:`forget_temporary` so that :func:`remove_temporary_files` can remove it on a signal."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    _TEMPORARY.add(tmp)
    _public_mode(fd)
    return fd, tmp


def forget_temporary(tmp: str, remove: bool) -> None:
    """Stop tracking a temporary file: renamed into place, or (``remove``) deleted."""
    _TEMPORARY.discard(tmp)
    if remove:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def remove_temporary_files() -> list[str]:
    """Remove every temporary file this process has open for writing (for a signal handler); returns them."""
    gone = sorted(_TEMPORARY)
    for tmp in gone:
        forget_temporary(tmp, remove=True)
    return gone


# ------------------------------------------------------------------ output file names from record ids

MAX_STEM = 100  # characters of a plain id kept as it is; file systems allow 255 bytes a name
_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def output_name(record_id: str, suffix: str) -> str:
    """The file name for one record's output: ``<id><suffix>`` when the id is plain, else a slug and a hash.

    A plain id (ASCII letters, digits, ``.``, ``_``, ``-``, starting with a
    letter or digit, at most :data:`MAX_STEM` characters, as file stems and
    feed ids usually are) keeps its name. Any other is named by the slug rule
    of the IRIs (:func:`kg.vocab.slug`: accents dropped, lower case, other
    runs as ``-``, at most 80 characters) and the first 12 hex digits of the
    id's SHA-256, so the name never holds a path separator, stays short and
    still tells two ids apart. Raises :class:`OutputNameError` for an id that
    is empty or holds control characters (NUL, newline, ...).
    """
    if not record_id.strip():
        raise OutputNameError("empty record id")
    bad = next((c for c in record_id if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        raise OutputNameError(f"record id {_shown(record_id)} holds a control character (U+{ord(bad):04X})")
    if len(record_id) <= MAX_STEM and _PLAIN_ID.fullmatch(record_id) and not record_id.endswith("."):
        return record_id + suffix
    stem, mark = slug(record_id), digest(record_id)[:12]
    return f"{stem}{suffix}" if stem.endswith(mark) else f"{stem}-{mark}{suffix}"  # slug's own hash: once


def _shown(text: str, limit: int = 60) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


class NamedFiles:
    """Writes one file per record into a folder, named by :func:`output_name`, each atomically.

    Two records whose names would be the same file (compared case-folded, as
    some file systems do) are a collision: the second raises
    :class:`OutputNameError` naming both ids, and nothing is overwritten.
    """

    def __init__(self, folder: Path, suffix: str) -> None:
        self.folder = Path(folder)
        self.suffix = suffix
        self._taken: dict[str, str] = {}
        check_output_folder(self.folder)
        with output_errors(self.folder):
            self.folder.mkdir(parents=True, exist_ok=True)

    def path_for(self, record_id: str) -> Path:
        """The file for ``record_id``, reserved for it; raises :class:`OutputNameError` if unusable or taken."""
        name = output_name(record_id, self.suffix)
        key = name.casefold()
        owner = self._taken.get(key)
        if owner is not None and owner != record_id:
            raise OutputNameError(f"record id {_shown(record_id)} would be written to {name}, "
                                  f"already used by {_shown(owner)}")
        self._taken[key] = record_id
        if name != record_id + self.suffix:
            log.info("record id %s written as %s", _shown(record_id), name)
        return self.folder / name

    def write(self, record_id: str, data: bytes) -> Path:
        """Write ``data`` as the file of ``record_id``; returns its path."""
        path = self.path_for(record_id)
        write_atomic(path, data)
        return path


def sort_key(q: Quad) -> str:
    """A total, stable order on quads: their N-Quads form."""
    return str(q)


class GraphWriter:
    """Writes quads to a file (atomically) or to standard output.

    Use as a context manager: on error the temporary file is removed and any
    existing output is left untouched.
    """

    def __init__(self, output: str | Path | None, fmt: str, base: str = DEFAULT_BASE) -> None:
        self.fmt = fmt
        self.base = base
        self.output = None if output in (None, "-") else Path(output)
        self._buffer: set[Quad] = set()
        self._seen: set[int] = set()  # hashes of lines already streamed (dedupe across articles)
        self._tmp: str | None = None
        self._fh: BinaryIO
        self.count = 0

    def __enter__(self) -> GraphWriter:
        if self.output is None:
            self._fh = sys.stdout.buffer
        else:
            check_output_path(self.output)
            with output_errors(self.output):
                fd, self._tmp = temporary_file(self.output)
            self._fh = os.fdopen(fd, "wb")
        return self

    def write(self, quads: Iterable[Quad]) -> None:
        """Add quads: streamed now for N-Triples/N-Quads, buffered otherwise."""
        if self.fmt not in STREAMING:
            self._buffer.update(quads)
            return
        fresh: list[Quad] = []
        for q in quads:
            key = hash(str(q) if self.fmt == "nq" else str(q.triple))
            if key not in self._seen:
                self._seen.add(key)
                fresh.append(q)
        fresh.sort(key=sort_key)
        self._emit(fresh)

    def write_lines(self, own: list[str], common: list[str]) -> None:
        """Add one article's statements given as sorted N-Quads (N-Triples for ``nt``) lines without " .".

        ``own`` are the lines of a graph that no other call writes to (an
        article's own named graph): for N-Quads they are written without
        being remembered, which keeps memory flat however many articles
        stream through. ``common`` lines (the shared, quarantine graphs) are
        checked against everything written before. Both lists must be sorted
        and free of repeats; the bytes are the same as :meth:`write` of the
        same quads.
        """
        if self.fmt not in STREAMING:
            data = "".join(f"{line} .\n" for line in (*own, *common)).encode("utf-8")
            self._buffer.update(parse(data, format=RdfFormat.N_QUADS))
            return
        seen = self._seen
        if self.fmt == "nt":
            # Triples repeat across articles (one event node, two articles): every line is common.
            common = sorted({*own, *common})
            own = []
        fresh: list[str] = []
        for line in common:
            key = hash(line)
            if key not in seen:
                seen.add(key)
                fresh.append(line)
        # Two sorted runs: sorting them together is one linear merge, in C (heapq.merge steps in Python).
        lines = sorted(own + fresh) if own and fresh else own or fresh
        if lines:
            self.count += len(lines)
            self._put((" .\n".join(lines) + " .\n").encode("utf-8"))

    def _emit(self, quads: list[Quad]) -> None:
        if not quads:
            return
        self.count += len(quads)
        if self.fmt == "nq":
            out = serialize(quads, format=RdfFormat.N_QUADS)
        else:
            out = serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES)
        self._put(out or b"")

    def _put(self, data: bytes) -> None:
        # A full disk shows here, mid-stream: the path and the reason, not a traceback.
        with output_errors(self.output or "standard output"):
            self._fh.write(data)

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.output is None:
            if exc_type is None:
                self._finish()
                self._fh.flush()
            return
        renamed = False
        try:
            with output_errors(self.output):
                if exc_type is None:
                    self._finish()
                    self._fh.flush()
                self._fh.close()
                if exc_type is None and self._tmp:
                    os.replace(self._tmp, self.output)
                    renamed = True
        finally:
            if self._tmp:
                forget_temporary(self._tmp, remove=not renamed)

    def _finish(self) -> None:
        if self.fmt in STREAMING:
            return
        quads = sorted(self._buffer, key=sort_key)
        self.count = len(quads)
        prefixes = {**PREFIXES, **instance_prefixes(self.base)}
        out: bytes | None
        if self.fmt == "jsonld":
            out = compact_json_ld(quads, self.base)
        elif self.fmt in QUAD_FORMATS:
            out = serialize(quads, format=FORMATS[self.fmt], prefixes=prefixes)
        else:
            triples = sorted({q.triple for q in quads}, key=str)
            self.count = len(triples)
            out = serialize(triples, format=FORMATS[self.fmt], prefixes=prefixes)
        self._fh.write(out or b"")


def compact_json_ld(quads: list[Quad], base: str = DEFAULT_BASE) -> bytes:
    """The quads as JSON-LD compacted with newskg's ``@context`` (:func:`kg.vocab.json_ld_context`), indented.

    pyoxigraph writes the expanded form; pyld compacts it (every IRI under a prefix becomes ``prefix:local``).
    """
    from pyld import jsonld

    expanded = json.loads(serialize(quads, format=RdfFormat.JSON_LD) or b"[]")
    context = json_ld_context(base)
    doc = jsonld.compact(expanded, {"@context": context}, {"graph": False})
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def is_default(q: Quad) -> bool:
    """Whether a quad is in the default graph."""
    return isinstance(q.graph_name, DefaultGraph)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Raises :class:`OutputError` (path and reason) when the OS refuses; no
    temporary file is left behind, whatever happens.
    """
    path = Path(path)
    check_output_path(path)
    with output_errors(path):
        fd, tmp = temporary_file(path)
    renamed = False
    try:
        with output_errors(path):
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
            renamed = True
    finally:
        forget_temporary(tmp, remove=not renamed)
