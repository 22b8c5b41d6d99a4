"""Many-to-many travel times with customizable contraction hierarchies (RoutingKit).

The node order is inertial (geometric), computed once per graph; the metric
(edge weights in integer milliseconds) is customised per vehicle profile.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import routingkit_cch as rk

_UNIT = 1000.0  # weights in milliseconds keep sums exact to 1 ms


class CCHRouter:
    """A CCH built once over a directed graph, with one metric of travel times."""

    def __init__(
        self,
        tail: npt.NDArray[np.int64],
        head: npt.NDArray[np.int64],
        time_s: npt.NDArray[np.float64],
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> None:
        t, h = tail.astype(np.uint32).tolist(), head.astype(np.uint32).tolist()
        order = rk.compute_order_inertial(len(lon), t, h, lat.tolist(), lon.tolist())
        self._cch = rk.CCH(order, t, h, False)
        self._metric = rk.CCHMetric(self._cch, np.rint(time_s * _UNIT).astype(np.uint32).tolist())

    def durations(self, sources: Sequence[int], targets: Sequence[int]) -> npt.NDArray[np.float64]:
        """Seconds from each source to each target node (``inf`` when unreachable)."""
        out = np.full((len(sources), len(targets)), np.inf)
        one_to_many = rk.CCHOneToMany(self._metric, [int(x) for x in targets])
        for i, s in enumerate(sources):
            row = one_to_many.distances_from(int(s))
            out[i] = [np.inf if d is None else d / _UNIT for d in row]
        return out
