"""The engine interface: what an adapter is given, what it returns, and what it can model.

Engines are thin adapters (VROOM's ``routing/wrapper.h`` is the model): they
turn an :class:`EngineRequest` into raw routes (events per courier) with their
objective and their own statistics. None of them re-times, explains or builds
a ``Plan``: :func:`planner.solver.solve` does that, the same way for every engine.
Engines are looked up by name (``--engine``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field, fields
from typing import Protocol

from planner.domain.items import Item
from planner.exceptions import InputError
from planner.plan import Event
from planner.problem import Problem
from planner.solver.board import PlanBoard
from planner.solver.budget import Budget
from planner.solver.control import Control
from planner.solver.params import SolveParams

Routes = dict[str, list[Event]]

#: The engine used when none is named: the portfolio (``planner.solver.portfolio``).
DEFAULT_ENGINE = "auto"


@dataclass(frozen=True)
class Capabilities:
    """What an engine models exactly; ``solve`` refuses a request that needs more.

    Attributes
    ----------
    multiple_windows
        Several time windows per stop (opening hours with a lunch closure).
    breaks
        A courier's lunch break inside a window.
    locked_stops
        Stops kept first, in order (re-optimisation).
    incompatible_classes
        Classes that may not share a vehicle (KT1).
    cash_limits
        A cap on the cash a courier carries.
    initial_plan
        Starts from given routes.
    multi_depot
        Couriers starting and ending at different sites.
    skills
        Items only some couriers may carry.
    items_on_board
        Items already on a given courier's vehicle, only to be delivered.
    """

    multiple_windows: bool = False
    breaks: bool = False
    locked_stops: bool = False
    incompatible_classes: bool = False
    cash_limits: bool = False
    initial_plan: bool = False
    multi_depot: bool = False
    skills: bool = False
    items_on_board: bool = False

    def covers(self, needed: Capabilities) -> bool:
        """Whether every feature ``needed`` uses is one this engine models."""
        return all(getattr(self, f.name) or not getattr(needed, f.name) for f in fields(self))

    def missing(self, needed: Capabilities) -> list[str]:
        """The features ``needed`` uses that this engine does not model."""
        return [f.name for f in fields(self)
                if getattr(needed, f.name) and not getattr(self, f.name)]


@dataclass(frozen=True)
class EngineRequest:
    """One search: which items of the problem to route, within which budget, from where.

    Attributes
    ----------
    problem
        The day's problem (couriers of this request only).
    items
        Tracking codes to route; every other item of ``problem`` is ignored.
    params
        Seed, solution limit and how many searches may run at once.
    budget
        The time this request may take (model building included).
    locked
        Per courier, events done or in progress, kept first in this order.
    now_s
        With locks: hand-overs not locked start no earlier (seconds since midnight).
    initial
        Per courier, routes to start the search from.
    fewer_couriers
        Whether a search that has a plan serving every item then tries to do with
        one courier fewer at a time (PyVRP's adapter; OR-Tools always has its
        elimination phase and VROOM none). ``False``: the time after the first
        plan all goes to shorter routes, as the portfolio's second PyVRP search does.
    board
        Where the portfolio's lines share a plan while they search (PyVRP's
        adapter): a search with ``fewer_couriers`` posts each smaller fleet it
        finds; one without takes a posted plan that costs less than its own best
        and goes on from it. None: each search on its own.
    """

    problem: Problem
    items: tuple[str, ...]
    params: SolveParams
    budget: Budget
    locked: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)
    now_s: int | None = None
    initial: Mapping[str, tuple[Event, ...]] | None = None
    fewer_couriers: bool = True
    board: PlanBoard | None = None

    def routed_items(self) -> tuple[Item, ...]:
        """The items of ``problem`` named in ``items``, in the problem's order."""
        keep = set(self.items)
        return tuple(it for it in self.problem.items if it.tracking_code in keep)


@dataclass(frozen=True)
class EngineResult:
    """Raw routes from an engine: events per used courier, the objective and its own figures.

    ``objective`` is None when the engine found no plan within its limits.
    ``phases`` are (name, seconds) of the engine's own steps.
    """

    routes: Routes
    objective: int | None
    stats: Mapping[str, float | int | str] = field(default_factory=dict)
    phases: tuple[tuple[str, float], ...] = ()


class Engine(Protocol):
    """A routing engine adapter."""

    name: str
    capabilities: Capabilities

    def run(
        self, request: EngineRequest, *, executor: Executor | None = None,
        control: Control | None = None,
    ) -> EngineResult:
        """Search; several searches may go to ``executor`` (None: in this process, one)."""
        ...


_ENGINES: dict[str, Callable[[], Engine]] = {}


def register_engine(name: str, factory: Callable[[], Engine]) -> None:
    """Make an engine available by name (the factory is called on first use)."""
    _ENGINES[name] = factory


def get_engine(name: str) -> Engine:
    """The engine registered under ``name``.

    Raises
    ------
    InputError
        If no engine has that name.
    """
    if name not in _ENGINES:
        known = ", ".join(sorted(_ENGINES)) or "none"
        raise InputError(f"unknown engine '{name}' (known: {known})", field="engine")
    return _ENGINES[name]()


def engine_names() -> list[str]:
    """Names of the registered engines."""
    return sorted(_ENGINES)
