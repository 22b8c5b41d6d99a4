"""Which item classes may not share a vehicle: a table in the rules file.

The rules file (``planner plan --service-times rules.json``, see
:mod:`planner.service_times`) may hold, beside the service times, a table
``incompatible_classes``: a list of pairs of classes that never ride on the
same route. Classes are written as in the orders file: ``KT1``, and the
ordinary item as ``ordinary`` (or ``thường``, or empty)::

    {"incompatible_classes": [["KT1", "ordinary"]]}

Left out, the table is :data:`DEFAULT_INCOMPATIBLE`; an empty list lets every
class ride together.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.exceptions import InputError
from planner.formats.tabular import KNOWN_CLASSES, canonical_class

#: The key of the table in the rules file.
KEY = "incompatible_classes"

#: KT1 official mail (confidential, state-secret grades) never shares a vehicle with
#: ordinary or TTHC loads: it travels in dedicated, locked postal vehicles unless a KT1
#: staff member escorts it [TT 16/2017 art. 9(4), (6); DOMAIN.md §7, §8.17], with
#: cleared staff only [QĐ 55/2016 art. 6(4)].
DEFAULT_INCOMPATIBLE: frozenset[frozenset[str]] = frozenset({frozenset({"KT1", ""})})


def class_name(item_class: str) -> str:
    """A class as the rules file and the reasons write it (the ordinary class: ``ordinary``)."""
    return item_class or "ordinary"


def incompatible_to_table(pairs: Iterable[frozenset[str]]) -> list[list[str]]:
    """``pairs`` as the rules file writes them, sorted (:func:`incompatible_from_table` reads them).

    >>> incompatible_to_table(DEFAULT_INCOMPATIBLE)
    [['KT1', 'ordinary']]
    """
    return sorted(sorted(class_name(c) for c in p) for p in pairs)


def incompatible_from_table(rows: object, *, source: str = "rules") -> frozenset[frozenset[str]]:
    """The pairs of classes of a rules-file table (a list of two-class lists).

    Raises
    ------
    InputError
        Naming ``source`` and the field (``incompatible_classes[i]``) of a row that is
        not a pair of two different classes the orders file knows.

    >>> sorted(map(sorted, incompatible_from_table([["kt-1", "thường"]])))
    [['', 'KT1']]
    """
    if not isinstance(rows, list):
        raise InputError('must be a list of pairs of classes, e.g. [["KT1", "ordinary"]]',
                         source=source, field=KEY)
    out: set[frozenset[str]] = set()
    for i, row in enumerate(rows):
        where = f"{KEY}[{i}]"
        if not (isinstance(row, list) and len(row) == 2
                and all(isinstance(c, str) for c in row)):
            raise InputError(f"must be a pair of classes such as [\"KT1\", \"ordinary\"], "
                             f"got {row!r}", source=source, field=where)
        classes = [canonical_class(c) for c in row]
        for name, c in zip(row, classes, strict=True):
            if c is None:
                raise InputError(f"'{name}' is not a known class (accepted: "
                                 f"{', '.join(KNOWN_CLASSES)}, or 'ordinary')",
                                 source=source, field=where)
        a, b = (c or "" for c in classes)
        if a == b:
            raise InputError(f"a class cannot be incompatible with itself ('{row[0]}')",
                             source=source, field=where)
        out.add(frozenset((a, b)))
    return frozenset(out)
