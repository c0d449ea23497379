"""Errors users can act on, and the exit-code contract shared by every command.

0 ok; 1 the data does not conform or a check failed; 2 the input could not be read or the
command was misused; 3 the published build is out of date and ``--no-rebuild`` forbade
rebuilding it.
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNREADABLE = 2
EXIT_INTERRUPTED = 130   # Ctrl-C (SIGINT), as shells report it
EXIT_STALE = 3


class LivergraphError(Exception):
    """An error caused by the user's input, reported without a traceback."""

    exit_code = EXIT_UNREADABLE

    def __init__(self, message: str, *, file: str | None = None, record: str | None = None,
                 hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.record = record
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f" [{self.record}]" if self.record else "") + ": "
        elif self.record:
            where = f"[{self.record}]: "
        text = where + self.message
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text


class UnreadableInput(LivergraphError):
    """A file is missing or is not valid YAML / RDF / JSON (exit 2)."""

    exit_code = EXIT_UNREADABLE


class DataError(LivergraphError):
    """Curated data that can be read but breaks the schema (exit 1)."""

    exit_code = EXIT_INVALID


class DataErrors(LivergraphError):
    """Several DataErrors found in one pass, so one bad record does not hide the others."""

    exit_code = EXIT_INVALID

    def __init__(self, errors: list[LivergraphError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in the curated data")

    def __str__(self) -> str:
        lines = [str(e) for e in self.errors]
        return "\n".join(lines) + f"\n{len(self.errors)} error(s) in the curated data"


class GraphDoesNotConform(DataError):
    """The built graph has SHACL violations; ``report`` holds the whole validation report
    (a ``livergraph.validate.shacl.Report``). Defined here so that readers can catch it
    without importing the builder."""

    def __init__(self, report: object, message: str, hint: str):
        super().__init__(message, hint=hint)
        self.report = report

    def violations_text(self) -> str:
        import io

        from livergraph.validate.shacl import write_text
        buf = io.StringIO()
        write_text(self.report, buf, severities=["violation"])  # type: ignore[arg-type]
        return buf.getvalue()
