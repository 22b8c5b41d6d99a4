"""One router interface: fastest-path durations and the lengths along those same paths.

Every router answers ``matrix(sources, targets)`` over an :class:`ArcGraph` and
follows one rule, so that any two routers give identical integers:

* Arc costs are integers: durations in milliseconds and lengths in centimetres
  (``arc_graph`` rounds them, and raises each to at least 1).
* The path between two nodes minimises ``(duration, length)`` lexicographically:
  the fastest path and, among several equally fast ones, the shortest. Its duration
  and its length are reported together, so the length is the length of the path
  actually driven, never of another fastest path.

Routers: :class:`geodata.dijkstra.DijkstraRouter` (scipy's compiled Dijkstra, the
reference) and :class:`geodata.cch.CCHRouter` (customizable contraction
hierarchies, for large matrices). :func:`geodata.matrix.travel_matrix` picks one
through :func:`geodata.routers.router_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from geodata.exceptions import ValidationError

MS_PER_S = 1000
CM_PER_M = 100


@dataclass(frozen=True)
class ArcGraph:
    """Directed arcs ``tail → head`` over nodes ``0 .. nodes - 1`` with integer costs.

    ``duration_ms`` and ``length_cm`` are int64, one per arc, each at least 1.
    Parallel arcs are allowed (the routers take the best by the rule above).
    """

    nodes: int
    tail: npt.NDArray[np.int64]
    head: npt.NDArray[np.int64]
    duration_ms: npt.NDArray[np.int64]
    length_cm: npt.NDArray[np.int64]


def arc_graph(
    nodes: int,
    tail: npt.ArrayLike,
    head: npt.ArrayLike,
    time_s: npt.ArrayLike,
    length_m: npt.ArrayLike,
) -> ArcGraph:
    """Round arc costs to integer milliseconds and centimetres (each at least 1).

    Parameters
    ----------
    nodes : int
        Number of nodes; ``tail`` and ``head`` index them.
    tail, head : array_like of int, shape (m,)
        The arcs.
    time_s, length_m : array_like of float, shape (m,)
        Travel time in seconds and length in metres of each arc.

    Raises
    ------
    ValidationError
        An arc names a node outside ``0 .. nodes - 1``, a cost is negative or not
        finite, or the arrays differ in length.
    """
    t = np.asarray(tail, dtype=np.int64)
    h = np.asarray(head, dtype=np.int64)
    sec = np.asarray(time_s, dtype=np.float64)
    met = np.asarray(length_m, dtype=np.float64)
    if not len(t) == len(h) == len(sec) == len(met):
        raise ValidationError("tail, head, time_s and length_m differ in length", field="arcs")
    if len(t) and (min(t.min(), h.min()) < 0 or max(t.max(), h.max()) >= nodes):
        raise ValidationError(f"an arc names a node outside 0..{nodes - 1}", field="arcs")
    if not (np.all(np.isfinite(sec)) and np.all(np.isfinite(met))):
        raise ValidationError("arc costs must be finite", field="arcs")
    if len(t) and (sec.min() < 0 or met.min() < 0):
        raise ValidationError("arc costs must not be negative", field="arcs")
    ms = np.maximum(np.rint(sec * MS_PER_S), 1).astype(np.int64)
    cm = np.maximum(np.rint(met * CM_PER_M), 1).astype(np.int64)
    return ArcGraph(nodes, t, h, ms, cm)


@dataclass(frozen=True)
class PathCosts:
    """Duration and length of the chosen path from each source to each target.

    ``duration_ms`` and ``length_cm`` are int64 arrays of shape
    (len(sources), len(targets)); both are ``UNREACHABLE`` (-1) where no path exists.
    """

    duration_ms: npt.NDArray[np.int64]
    length_cm: npt.NDArray[np.int64]

    @property
    def duration_s(self) -> npt.NDArray[np.float64]:
        """Durations in seconds, ``inf`` where unreachable."""
        return _scaled(self.duration_ms, MS_PER_S)

    @property
    def length_m(self) -> npt.NDArray[np.float64]:
        """Lengths in metres, ``inf`` where unreachable."""
        return _scaled(self.length_cm, CM_PER_M)


UNREACHABLE = -1


def _scaled(a: npt.NDArray[np.int64], unit: int) -> npt.NDArray[np.float64]:
    return np.where(a < 0, np.inf, a / unit)


class Router(Protocol):
    """Anything that answers many-to-many queries by the rule of this module."""

    def matrix(self, sources: npt.ArrayLike, targets: npt.ArrayLike) -> PathCosts:
        """Duration and length from each source node to each target node.

        Parameters
        ----------
        sources, targets : array_like of int
            Node indices of the router's graph; repeats are allowed.

        Returns
        -------
        PathCosts
            Arrays of shape (len(sources), len(targets)).
        """
        ...


def node_indices(nodes: npt.ArrayLike, count: int, name: str) -> npt.NDArray[np.int64]:
    """``nodes`` as an int64 array, checked to lie in ``0 .. count - 1``.

    Raises
    ------
    ValidationError
        A node index is out of range.
    """
    a = np.asarray(nodes, dtype=np.int64).reshape(-1)
    if len(a) and (a.min() < 0 or a.max() >= count):
        raise ValidationError(f"{name} must be node indices in 0..{count - 1}", field=name)
    return a
