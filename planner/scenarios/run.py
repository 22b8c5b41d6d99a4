"""The sweep: every scenario × seed as one task on Dask distributed.

Tasks get plain data (a :class:`Scenario`, a seed, the number of days, the
first day) and run :func:`~planner.scenarios.simulate.simulate` in their worker
process with no executor of their own. Each task runs once (``retries=0``);
one that raises, or whose worker dies, is reported as failed for its scenario
and seed while the others go on.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from planner.scenarios.simulate import Simulation, simulate
from planner.scenarios.spec import Scenario, ScenarioFile

__all__ = ["Task", "TaskOutcome", "dask_client", "run_sweep"]

#: What a task runs: ``(scenario, seed, days, start) -> Simulation``.
Task = Callable[[Scenario, int, int, dt.date], Simulation]


@dataclass(frozen=True)
class TaskOutcome:
    """One scenario × seed: its simulation, or why it failed (``error``)."""

    scenario: str
    seed: int
    simulation: Simulation | None
    error: str = ""

    @property
    def ok(self) -> bool:
        """Whether the task returned a simulation."""
        return self.simulation is not None


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A Dask client: on the cluster at ``scheduler``, or on a new local cluster of processes.

    The local cluster runs ``workers`` single-threaded worker processes and
    gives up on a task the first time its worker dies
    (``distributed.scheduler.allowed-failures = 0``), so a crashing scenario
    is reported once rather than retried on every worker. An existing cluster
    keeps its own setting.
    """
    # only a sweep needs Dask: the planner's other commands start without it
    import dask  # noqa: PLC0415
    from distributed import Client, LocalCluster  # noqa: PLC0415

    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=workers, threads_per_worker=1,  # type: ignore[no-untyped-call]
                         # any free port: the default 8787 taken by another run on the
                         # machine made the cluster fail to start
                         processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def run_sweep(
    spec: ScenarioFile,
    client: Any,
    *,
    days: int,
    seeds: int = 1,
    task: Task = simulate,
    progress: Callable[[TaskOutcome], None] | None = None,
) -> list[TaskOutcome]:
    """Run every scenario of ``spec`` for seeds ``0..seeds-1`` on ``client``'s cluster.

    Parameters
    ----------
    spec
        The scenarios and the first day.
    client
        A ``distributed.Client``.
    days, seeds
        Working days per simulation; seeds per scenario.
    task
        The function each task runs (tests pass one that fails).
    progress
        Called with each outcome as it arrives.

    Returns
    -------
    list of TaskOutcome
        One per scenario and seed, in the file's order.
    """
    from distributed import as_completed  # noqa: PLC0415 - as in dask_client

    jobs = iter([(k, sc, seed) for k, sc in enumerate(spec.scenarios) for seed in range(seeds)])
    names: dict[Any, tuple[str, int]] = {}

    def submit(job: tuple[int, Scenario, int]) -> Any:
        k, sc, seed = job
        future = client.submit(task, sc, seed, days, spec.start, pure=False, retries=0,
                               key=f"scenario-{k}-seed-{seed}")
        names[future] = (sc.name, seed)
        return future

    # No more tasks in flight than threads: a worker that dies takes only the task it runs
    # (tasks queued on it would be lost with it, as KilledWorker).
    slots = max(1, sum(client.nthreads().values()))
    first = [submit(job) for job in itertools.islice(jobs, slots)]
    running = as_completed(first)  # type: ignore[no-untyped-call]
    done: dict[tuple[str, int], TaskOutcome] = {}
    for future in running:
        name, seed = names[future]
        try:
            outcome = TaskOutcome(name, seed, future.result())
        except Exception as err:  # any failure (KilledWorker too) is that task's alone
            outcome = TaskOutcome(name, seed, None, f"{type(err).__name__}: {err}")
        done[name, seed] = outcome
        if progress is not None:
            progress(outcome)
        following = next(jobs, None)
        if following is not None:
            running.add(submit(following))  # type: ignore[no-untyped-call]
    return [done[sc.name, seed] for sc in spec.scenarios for seed in range(seeds)]
