"""Compiled kernels of the CCH router (numba): customisation, upward searches, the join.

Nodes are ranks (0 = contracted first). The chordal graph is a CSR of upward arcs
``first``/``head`` (heads sorted within each row); ``fw[a]`` is the cost of going
up arc ``a`` (low → high), ``bw[a]`` of coming down it (high → low). A cost is one
int64 key, ``duration_ms << 32 | length_cm``: comparing keys compares
(duration, length) lexicographically, and adding keys adds both fields while a
path's length stays below 2**32 cm (42,950 km). ``INF`` (2**61) marks no path;
two of them add up without overflow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

INF = np.int64(2**61)
LENGTH_BITS = 32

_F = TypeVar("_F", bound=Callable[..., Any])

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def _jit(fn: _F) -> _F:
    """Compile without the GIL, caching the machine code beside the module."""
    return cast(_F, numba.njit(nogil=True, cache=True)(fn))


@_jit
def customize(first: Ints, head: Ints, fw: Ints, bw: Ints) -> None:
    """Lower-triangle relaxation in rank order: afterwards every arc is a shortest path.

    For each node ``x`` and each pair ``u < v`` of its upper neighbours, the detours
    ``u → x → v`` and ``v → x → u`` may improve arc ``(u, v)``. When ``x`` is
    reached, every triangle below its own arcs has been seen (Dibbelt, Strasser and
    Wagner, "Customizable Contraction Hierarchies", 2016, basic customisation).
    """
    n = len(first) - 1
    for x in range(n):
        for i in range(first[x], first[x + 1]):
            u = head[i]
            a = first[u]
            down_xu = bw[i]
            up_xu = fw[i]
            for j in range(i + 1, first[x + 1]):
                v = head[j]
                while head[a] < v:  # v is an upper neighbour of u (chordality)
                    a += 1
                c = down_xu + fw[j]
                fw[a] = min(fw[a], c)
                c = bw[j] + up_xu
                bw[a] = min(bw[a], c)


@_jit
def depths(first: Ints, head: Ints) -> tuple[Ints, Ints]:
    """Elimination-tree parent (lowest upper neighbour, -1 at a root) and depth of each rank."""
    n = len(first) - 1
    parent = np.full(n, -1, dtype=np.int64)
    depth = np.zeros(n, dtype=np.int64)
    for x in range(n - 1, -1, -1):
        if first[x] < first[x + 1]:
            parent[x] = head[first[x]]
            depth[x] = depth[parent[x]] + 1
    return parent, depth


@_jit
def upward(  # noqa: PLR0917 (numba takes no keyword-only arguments)
    first: Ints,
    head_depth: Ints,
    cost: Ints,
    parent: Ints,
    depth: Ints,
    starts: Ints,
    values: Ints,
    ids: Ints,
) -> None:
    """Elimination-tree searches: from each start up to its root, arcs relaxed by ``cost``.

    ``head_depth[a]`` is the depth of arc ``a``'s upper end: the upper neighbours of
    a rank are its ancestors, so a search only ever writes at ancestors' depths.

    Row ``i`` of ``values`` (pre-filled with INF) receives the distance to each
    ancestor at the ancestor's depth; row ``i`` of ``ids`` (pre-filled with -1) the
    ancestor itself, so two rows share a prefix exactly up to the two starts'
    lowest common ancestor.
    """
    for i in range(len(starts)):
        x = starts[i]
        values[i, depth[x]] = 0
        while x >= 0:
            k = depth[x]
            ids[i, k] = x
            dx = values[i, k]
            if dx < INF:
                for a in range(first[x], first[x + 1]):
                    c = dx + cost[a]
                    ky = head_depth[a]
                    values[i, ky] = min(values[i, ky], c)
            x = parent[x]


@_jit
def join(  # noqa: PLR0917 (numba takes no keyword-only arguments)
    fv: Ints,
    fid: Ints,
    fdepth: Ints,
    bv: Ints,
    bid: Ints,
    bdepth: Ints,
    out: Ints,
    lo: int,
    hi: int,
) -> None:
    """``out[i, j]`` = min over common ancestors ``k`` of ``fv[i, k] + bv[j, k]``, rows lo..hi.

    Targets are taken in tiles so that a tile's rows stay in cache across sources.
    """
    tile = 32
    nt = bv.shape[0]
    for j0 in range(0, nt, tile):
        j1 = min(nt, j0 + tile)
        for i in range(lo, hi):
            f_val, f_id = fv[i], fid[i]
            for j in range(j0, j1):
                b_val, b_id = bv[j], bid[j]
                if f_id[0] != b_id[0]:  # different trees: different components
                    out[i, j] = INF
                    continue
                a = 0
                b = min(fdepth[i], bdepth[j])
                while a < b:  # deepest common ancestor: ids agree up to it, not after
                    c = (a + b + 1) // 2
                    if f_id[c] == b_id[c]:
                        a = c
                    else:
                        b = c - 1
                best = INF
                for k in range(a + 1):  # the hot loop: row views and a select vectorise
                    s = f_val[k] + b_val[k]
                    best = s if s < best else best
                out[i, j] = best


@_jit
def needed(first: Ints, head: Ints, fw: Ints, bw: Ints) -> tuple[Bools, Bools]:
    """Which arcs an upward search needs, going up (first mask) and coming down (second).

    Arc ``x → y`` is not needed when some upper neighbour ``z`` of ``x`` below ``y``
    gives ``x → z → y`` at no greater cost: by induction on the rank span, that
    detour is itself an upward path of needed arcs, so dropping the arc leaves every
    search's values unchanged.
    """
    n = len(first) - 1
    keep_up = np.ones(len(head), dtype=np.bool_)
    keep_down = np.ones(len(head), dtype=np.bool_)
    for x in range(n):
        for i in range(first[x], first[x + 1]):
            u = head[i]
            a = first[u]
            for j in range(i + 1, first[x + 1]):
                v = head[j]
                while head[a] < v:
                    a += 1
                if fw[i] + fw[a] <= fw[j]:
                    keep_up[j] = False
                if bw[a] + bw[i] <= bw[j]:
                    keep_down[j] = False
    return keep_up, keep_down
