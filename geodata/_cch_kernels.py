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
def _deepest_common(f_id: Ints, b_id: Ints, deepest: int) -> int:
    """Depth of the deepest common ancestor (-1 in different trees): ids agree up to it."""
    if f_id[0] != b_id[0]:
        return -1
    a, b = 0, deepest
    while a < b:
        c = (a + b + 1) // 2
        if f_id[c] == b_id[c]:
            a = c
        else:
            b = c - 1
    return a


@_jit
def _best(f_val: Ints, b_val: Ints, lo: int, hi: int, best: np.int64) -> np.int64:
    """``best`` lowered by ``f_val[k] + b_val[k]`` for k in lo..hi (a select vectorises)."""
    for k in range(lo, hi + 1):
        s = f_val[k] + b_val[k]
        best = s if s < best else best
    return best


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

    Rows of ``fv`` and ``bv`` should come in elimination-tree preorder.

    Two sources meet two targets at a time over the depths all four pairs share
    (half the loads of one pair at a time; with rows in preorder, neighbours share
    nearly all), then each pair finishes alone. Targets are taken in tiles so that
    a tile's rows stay in cache across sources.
    """
    tile = 32
    nt = bv.shape[0]
    for j0 in range(0, nt, tile):
        j1 = min(nt, j0 + tile)
        for i in range(lo, hi, 2):
            for j in range(j0, j1, 2):
                if i + 1 < hi and j + 1 < j1:
                    _block(fv, fid, fdepth, bv, bid, bdepth, out, i, j)
                    continue
                for ii in range(i, min(i + 2, hi)):
                    for jj in range(j, min(j + 2, j1)):
                        d = _deepest_common(fid[ii], bid[jj], min(fdepth[ii], bdepth[jj]))
                        out[ii, jj] = _best(fv[ii], bv[jj], 0, d, INF)


@_jit
def _block(  # noqa: PLR0917 (numba takes no keyword-only arguments)
    fv: Ints, fid: Ints, fdepth: Ints, bv: Ints, bid: Ints, bdepth: Ints, out: Ints, i: int, j: int
) -> None:
    """Pairs (i, j), (i, j+1), (i+1, j), (i+1, j+1) of :func:`join`."""
    d00 = _deepest_common(fid[i], bid[j], min(fdepth[i], bdepth[j]))
    d01 = _deepest_common(fid[i], bid[j + 1], min(fdepth[i], bdepth[j + 1]))
    d10 = _deepest_common(fid[i + 1], bid[j], min(fdepth[i + 1], bdepth[j]))
    d11 = _deepest_common(fid[i + 1], bid[j + 1], min(fdepth[i + 1], bdepth[j + 1]))
    shared = min(d00, d01, d10, d11)
    f0, f1, b0, b1 = fv[i], fv[i + 1], bv[j], bv[j + 1]
    m00 = m01 = m10 = m11 = INF
    for k in range(shared + 1):
        x0, x1, y0, y1 = f0[k], f1[k], b0[k], b1[k]
        s = x0 + y0
        m00 = s if s < m00 else m00
        s = x0 + y1
        m01 = s if s < m01 else m01
        s = x1 + y0
        m10 = s if s < m10 else m10
        s = x1 + y1
        m11 = s if s < m11 else m11
    out[i, j] = _best(f0, b0, shared + 1, d00, m00)
    out[i, j + 1] = _best(f0, b1, shared + 1, d01, m01)
    out[i + 1, j] = _best(f1, b0, shared + 1, d10, m10)
    out[i + 1, j + 1] = _best(f1, b1, shared + 1, d11, m11)


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


@_jit
def preorder(parent: Ints) -> tuple[Ints, Ints]:
    """Depth-first preorder number and subtree size of each rank in the elimination tree.

    A parent outranks its children, so sizes add up in rank order and numbers are
    handed out from the roots down; the ranks under ``x`` are numbered
    ``pre[x] .. pre[x] + size[x] - 1``.
    """
    n = len(parent)
    size = np.ones(n, dtype=np.int64)
    for x in range(n):
        if parent[x] >= 0:
            size[parent[x]] += size[x]
    pre = np.zeros(n, dtype=np.int64)
    free = np.zeros(n, dtype=np.int64)
    roots = 0
    for x in range(n - 1, -1, -1):
        p = parent[x]
        if p < 0:
            pre[x] = roots
            roots += size[x]
        else:
            pre[x] = free[p]
            free[p] += size[x]
        free[x] = pre[x] + 1
    return pre, size


@_jit
def upward_together(  # noqa: PLR0917 (numba takes no keyword-only arguments)
    first: Ints,
    head_depth: Ints,
    cost: Ints,
    depth: Ints,
    nodes: Ints,
    lo: Ints,
    hi: Ints,
    values: Ints,
) -> None:
    """All upward searches at once, ``values[depth, start]`` (pre-filled, 0 at each start).

    Starts are sorted by preorder, so those below node ``nodes[i]`` are the columns
    ``lo[i] .. hi[i] - 1``; nodes come in rank order, so each is final when its arcs
    are relaxed, for all of its starts in one contiguous (vectorised) sweep.
    """
    for i in range(len(nodes)):
        x = nodes[i]
        kx = depth[x]
        a0, a1 = lo[i], hi[i]
        for a in range(first[x], first[x + 1]):
            ky = head_depth[a]
            c = cost[a]
            src = values[kx]
            dst = values[ky]
            for s in range(a0, a1):
                v = src[s] + c
                dst[s] = v if v < dst[s] else dst[s]


@_jit
def ancestors(parent: Ints, depth: Ints, starts: Ints, ids: Ints) -> None:
    """Row ``i`` of ``ids``: the ancestors of ``starts[i]`` at their depths (itself included)."""
    for i in range(len(starts)):
        x = starts[i]
        while x >= 0:
            ids[i, depth[x]] = x
            x = parent[x]


@_jit
def on_chains(parent: Ints, starts: Ints) -> Ints:
    """The ranks on the path from any start to its root, in rank order."""
    seen = np.zeros(len(parent), dtype=np.bool_)
    for i in range(len(starts)):
        x = starts[i]
        while x >= 0 and not seen[x]:
            seen[x] = True
            x = parent[x]
    return np.flatnonzero(seen)
