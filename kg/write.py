"""Writing quads to files: the five formats, deterministic bytes, atomic rename.

N-Quads and N-Triples are written as the articles come, so memory does not
grow with the corpus; Turtle, TriG and JSON-LD group statements by subject and
so hold the whole graph until the end. Quads are sorted within each article
(and, for the buffered formats, across the whole graph) so the same input
always gives the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import DefaultGraph, Quad, RdfFormat, parse, serialize

from kg.errors import UsageError
from kg.vocab import PREFIXES

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


def sort_key(q: Quad) -> str:
    """A total, stable order on quads: their N-Quads form."""
    return str(q)


class GraphWriter:
    """Writes quads to a file (atomically) or to standard output.

    Use as a context manager: on error the temporary file is removed and any
    existing output is left untouched.
    """

    def __init__(self, output: str | Path | None, fmt: str) -> None:
        self.fmt = fmt
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
            directory = self.output.parent if str(self.output.parent) else Path(".")
            if not directory.is_dir():
                raise UsageError(f"output folder {directory} does not exist")
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.output.name}.", suffix=".tmp", dir=directory)
            _public_mode(fd)
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
            self._fh.write((" .\n".join(lines) + " .\n").encode("utf-8"))

    def _emit(self, quads: list[Quad]) -> None:
        if not quads:
            return
        self.count += len(quads)
        if self.fmt == "nq":
            out = serialize(quads, format=RdfFormat.N_QUADS)
        else:
            out = serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES)
        self._fh.write(out or b"")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self._finish()
                self._fh.flush()
        finally:
            if self.output is not None:
                self._fh.close()
                if exc_type is None and self._tmp:
                    os.replace(self._tmp, self.output)
                elif self._tmp:
                    with contextlib.suppress(OSError):
                        os.unlink(self._tmp)

    def _finish(self) -> None:
        if self.fmt in STREAMING:
            return
        quads = sorted(self._buffer, key=sort_key)
        self.count = len(quads)
        prefixes = None if self.fmt == "jsonld" else PREFIXES
        out: bytes | None
        if self.fmt in QUAD_FORMATS:
            out = serialize(quads, format=FORMATS[self.fmt], prefixes=prefixes)
        else:
            triples = sorted({q.triple for q in quads}, key=str)
            self.count = len(triples)
            out = serialize(triples, format=FORMATS[self.fmt], prefixes=prefixes)
        self._fh.write(out or b"")


def is_default(q: Quad) -> bool:
    """Whether a quad is in the default graph."""
    return isinstance(q.graph_name, DefaultGraph)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    _public_mode(fd)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
