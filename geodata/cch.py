"""Many-to-many travel times with customizable contraction hierarchies (RoutingKit).

The node order is inertial (geometric), computed once per graph; the metric
(edge weights in integer milliseconds) is customised per vehicle profile.
Queries release the GIL, so the rows of a matrix are shared among threads,
each with its own one-to-many query object over the same read-only metric.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import routingkit_cch as rk

_UNIT = 1000.0  # weights in milliseconds keep sums exact to 1 ms


def available_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - platforms without affinity
        return os.cpu_count() or 1


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

    def durations(
        self, sources: Sequence[int], targets: Sequence[int], workers: int | None = None
    ) -> npt.NDArray[np.float64]:
        """Seconds from each source to each target node (``inf`` when unreachable).

        ``workers`` threads (default: the cores available) each answer a
        contiguous block of sources; the result does not depend on their number.
        """
        src = [int(x) for x in sources]
        tgt = [int(x) for x in targets]
        out = np.full((len(src), len(tgt)), np.inf)
        if not src or not tgt:
            return out
        n_workers = max(1, min(workers or available_cores(), len(src)))
        bounds = np.linspace(0, len(src), n_workers + 1).astype(int)

        def fill(lo: int, hi: int) -> None:
            one_to_many = rk.CCHOneToMany(self._metric, tgt)
            for i in range(lo, hi):
                row = np.array(one_to_many.distances_from(src[i]), dtype=np.float64)
                out[i] = np.where(np.isnan(row), np.inf, row / _UNIT)

        if n_workers == 1:
            fill(0, len(src))
            return out
        with ThreadPoolExecutor(max_workers=n_workers) as pool:
            jobs = [pool.submit(fill, int(lo), int(hi)) for lo, hi in itertools.pairwise(bounds)]
            for job in jobs:
                job.result()
        return out
