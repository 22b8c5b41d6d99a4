"""Old (pre-July-2025) commune codes to the new communes they went into."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geodata import _validate as v
from geodata.exceptions import ValidationError

_OLD, _NEW = "old_commune_code", "new_commune_code"


@dataclass(frozen=True)
class Crosswalk:
    """``old → new`` commune codes; an old commune split in parts maps to several."""

    mapping: dict[str, tuple[str, ...]]

    def new_codes(self, old_code: str) -> tuple[str, ...]:
        """The new communes of ``old_code`` (ValidationError if unknown)."""
        if old_code not in self.mapping:
            raise ValidationError(
                f"old commune code {old_code!r} is not in the crosswalk", field=_OLD
            )
        return self.mapping[old_code]

    def new_code(self, old_code: str) -> str:
        """The single new commune of ``old_code``; ValidationError when it was split."""
        codes = self.new_codes(old_code)
        if len(codes) != 1:
            raise ValidationError(
                f"old commune {old_code!r} was split into {', '.join(codes)}", field=_OLD
            )
        return codes[0]


def read_crosswalk(path: str | Path, old: str = _OLD, new: str = _NEW) -> Crosswalk:
    """Read a CSV with one row per (old commune, new commune) pair, codes as text.

    Raises
    ------
    ValidationError
        Missing column, empty code, or a repeated (old, new) pair.
    """
    src = str(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as err:
        raise ValidationError(f"cannot read CSV: {err}", source=src) from err
    v.require_columns(df, (old, new), src)
    v.require_values(df, (old, new), src)
    pair = df[old] + "→" + df[new]
    dup = pair.duplicated()
    if dup.any():
        raise ValidationError(
            f"pair {pair[dup].iloc[0]} repeated",
            source=src,
            row=int(dup.to_numpy().argmax()) + 1,
            field=new,
        )
    mapping: dict[str, tuple[str, ...]] = {}
    for o, n in zip(df[old], df[new], strict=True):
        mapping[o] = (*mapping.get(o, ()), n)
    return Crosswalk(mapping)
