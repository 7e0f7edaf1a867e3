"""One error hierarchy for newskg; the CLI maps it to exit codes in one place."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit statuses of the ``kg`` command, documented in the README."""

    OK = 0
    PARTIAL = 1  # output written, but inputs skipped or the graph does not conform
    USAGE = 2  # bad command line or unusable input
    STORE = 3  # a triple store or endpoint failed (load, retract, remote query)


class KGError(Exception):
    """Base class: every error newskg raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE


class InputError(KGError):
    """An input could not be read: names the file or URL and, where known, the place."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class UsageError(KGError):
    """The caller asked for something that cannot be done (unknown format, bad option)."""


class DataFileError(KGError):
    """A packaged lexicon or gazetteer file is malformed (names file:line)."""


class ValidationError(KGError):
    """The graph to validate could not be read at all."""


class QueryError(KGError):
    """A saved query is unknown, malformed, or failed to run."""


class StoreError(KGError):
    """A triple store or remote endpoint failed; the message names the URL, never credentials."""

    exit_code = ExitCode.STORE


class OutputError(KGError):
    """An output could not be written: names the path and the reason (exit 2, nothing half-written left)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class OutputNameError(KGError):
    """A record's id cannot be made into an output file name, or its name is taken (that record is skipped)."""
