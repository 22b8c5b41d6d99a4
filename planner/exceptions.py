"""Project exceptions: every failure the planner reports has a named type.

The CLI and the API translate these once, at the edge, into a readable message
or an HTTP error body; library code raises them with enough context (source,
row, field) for a dispatcher to fix the input.
"""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every error the planner raises on purpose."""


class InputError(PlannerError, ValueError):
    """Bad input: names the source (file or object), the row or id, and the field.

    An integer ``row`` is a row number (``row 3``); a text one is the id of an
    entry (``entry HS1``: a tracking code, a courier id).
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | str | None = None,
        field: str | None = None,
    ) -> None:
        self.source = source
        self.row = row
        self.field = field
        self.message = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.source is not None:
            where.append(str(self.source))
        if isinstance(self.row, int):
            where.append(f"row {self.row}")
        elif self.row is not None:
            where.append(f"entry {self.row}")  # an id: a tracking code, a courier
        if self.field is not None:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class InputErrors(PlannerError, ValueError):
    """Several input errors reported at once (validation collects them all)."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = list(errors)
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"{len(self.errors)} input error(s):\n{lines}")


class InfeasibleError(PlannerError):
    """A request that cannot be planned at all (not one item: the whole problem)."""


class SolverError(PlannerError, RuntimeError):
    """The routing engine failed in a way that is not the input's fault."""
