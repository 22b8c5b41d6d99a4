"""The split bench's memory measure: pages shared by forked workers count once."""

from __future__ import annotations

import sys

from benchmarks.split import _measured

#: A parent touches 300 MiB, then forks two workers that only wait: the group holds
#: 300 MiB, while each worker's RSS shows the parent's pages again.
_FORKS = """
import os, time
block = bytearray(300 * 2**20)
for k in range(0, len(block), 4096):
    block[k] = 1
kids = [os.fork() for _ in range(1)]
if kids[0] == 0:
    os.fork()
    time.sleep(2.0)
    os._exit(0)
time.sleep(2.5)
"""


def test_forked_workers_shared_pages_count_once() -> None:
    wall, pss, rss_sum = _measured([sys.executable, "-c", _FORKS], timeout=30)
    assert wall < 30
    assert rss_sum > 800  # the 300 MiB seen in three processes
    assert 250 < pss < 500  # held once
