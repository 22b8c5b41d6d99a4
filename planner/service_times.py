"""How long the hand-over formalities take at each kind of stop (DOMAIN.md 8.10–8.13).

A stop costs a fixed *visit* time (parking, finding the officer, one hand-over
record per visit: biên bản giao nhận) plus a time per *item* that depends on
where it is and whether it is picked up or handed over: at a citizen's door,
checking the checklist, signing the phiếu gửi, sealing in front of the citizen
and writing the fee receipt take minutes; at an agency each item is counted
and listed on the joint record. The defaults below are design values [I] for
managers to compare against their own rules (``read_service_times``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from planner.class_rules import KEY as CLASSES_KEY
from planner.class_rules import incompatible_from_table
from planner.domain.hours import SAME_DAY_CUTOFF_S
from planner.domain.sites import Site, SiteKind
from planner.exceptions import InputError
from planner.plan import Action

_MIN = 60


def _visits() -> Mapping[SiteKind, int]:
    return MappingProxyType({
        SiteKind.PROVINCIAL_POST_OFFICE: 5 * _MIN,
        SiteKind.DISTRICT_POST_OFFICE: 5 * _MIN,
        SiteKind.POST_POINT: 4 * _MIN,
        SiteKind.COMMUNE_ONE_STOP: 8 * _MIN,
        SiteKind.DISTRICT_ONE_STOP: 8 * _MIN,
        SiteKind.SERVICE_CENTER: 10 * _MIN,
        SiteKind.CITIZEN: 2 * _MIN,
    })


@dataclass(frozen=True)
class ServiceTimes:
    """Seconds per visit (by site kind) and per item (by where and which way).

    ``citizen_pickup_s``: checklist, signed phiếu gửi, sealing in the citizen's
    presence, fee receipt (QĐ 45 art. 6). ``citizen_delivery_s``: ID check,
    joint count, signatures, fee (TT 17 art. 5(2)). ``agency_dropoff_s``: joint
    count and listing on the biên bản (QĐ 45 art. 7). ``agency_pickup_s``:
    check, new phiếu gửi, sealing (QĐ 45 art. 9). ``post_office_s``: scanning an
    item in or out of a post office or post point.
    """

    visit_s: Mapping[SiteKind, int] = field(default_factory=_visits)
    citizen_pickup_s: int = 8 * _MIN
    citizen_delivery_s: int = 5 * _MIN
    agency_dropoff_s: int = 1 * _MIN
    agency_pickup_s: int = 2 * _MIN
    post_office_s: int = 30

    def visit(self, kind: SiteKind) -> int:
        """Fixed seconds of one visit to a site of ``kind``."""
        return int(self.visit_s.get(kind, 0))

    def item_s(self, kind: SiteKind, action: Action) -> int:
        """Seconds for one item picked up or handed over at a site of ``kind``."""
        if kind is SiteKind.CITIZEN:
            return self.citizen_pickup_s if action is Action.PICKUP else self.citizen_delivery_s
        if kind.is_agency:
            return self.agency_pickup_s if action is Action.PICKUP else self.agency_dropoff_s
        return self.post_office_s

    def apply_to_site(self, site: Site) -> Site:
        """The site with this visit time and, for agencies without one, the 15:00 cut-off."""
        cutoff = site.cutoff_s
        if cutoff is None and site.kind.is_agency:
            cutoff = SAME_DAY_CUTOFF_S
        return replace(site, visit_s=self.visit(site.kind), cutoff_s=cutoff)


def service_times_to_dict(rules: ServiceTimes) -> dict[str, Any]:
    """``rules`` as a JSON-ready mapping that :func:`service_times_from_dict` reads back."""
    out: dict[str, Any] = {f.name: getattr(rules, f.name) for f in fields(ServiceTimes)}
    out["visit_s"] = {k.value: int(v) for k, v in rules.visit_s.items()}
    return out


def service_times_from_dict(
    doc: Mapping[str, Any], *, source: str = "service times"
) -> ServiceTimes:
    """Rules from a mapping: the per-item keys in seconds and ``visit_s`` by site kind.

    Keys left out keep their defaults. Example::

        {"citizen_pickup_s": 600, "visit_s": {"commune_one_stop": 600}}

    Raises
    ------
    InputError
        Naming the key of an unknown name, a site kind that does not exist, or a
        value that is not a non-negative whole number of seconds.
    """
    known = {f.name for f in fields(ServiceTimes)}
    changes: dict[str, Any] = {}
    for key, value in doc.items():
        if key == CLASSES_KEY:  # the rules file's table of classes (planner.class_rules)
            continue
        if key not in known:
            raise InputError(f"unknown key (known: {', '.join(sorted(known | {CLASSES_KEY}))})",
                             source=source, field=key)
        if key == "visit_s":
            if not isinstance(value, Mapping):
                raise InputError("must map site kinds to seconds", source=source, field=key)
            visits = dict(_visits())
            for kind, seconds in value.items():
                try:
                    site_kind = SiteKind(kind)
                except ValueError:
                    kinds = ", ".join(k.value for k in SiteKind)
                    raise InputError(f"unknown site kind '{kind}' (known: {kinds})",
                                     source=source, field=f"visit_s.{kind}") from None
                visits[site_kind] = _seconds(seconds, source, f"visit_s.{kind}")
            changes[key] = MappingProxyType(visits)
        else:
            changes[key] = _seconds(value, source, key)
    return ServiceTimes(**changes)


def _seconds(value: object, source: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"must be a whole number of seconds >= 0, got {value!r}",
                         source=source, field=key)
    return value


@dataclass(frozen=True)
class RulesFile:
    """What a rules file sets: service times, and the classes that may not share a vehicle.

    ``incompatible_classes`` is None when the file has no such table (the
    default applies: :data:`planner.class_rules.DEFAULT_INCOMPATIBLE`).
    """

    service_times: ServiceTimes
    incompatible_classes: frozenset[frozenset[str]] | None = None


def read_rules(path: Path) -> RulesFile:
    """Read a rules file: service times and the ``incompatible_classes`` table (if any).

    Raises
    ------
    InputError
        The file is missing, not JSON, not an object, or holds a bad key or value
        (naming the file and the key, e.g. ``incompatible_classes[0]``).
    """
    path = Path(path)
    doc = _read_json(path)
    classes = (incompatible_from_table(doc[CLASSES_KEY], source=path.name)
               if CLASSES_KEY in doc else None)
    return RulesFile(service_times_from_dict(doc, source=path.name), classes)


def read_service_times(path: Path) -> ServiceTimes:
    """Read service-time rules from a JSON file (see :func:`service_times_from_dict`).

    Raises
    ------
    InputError
        The file is missing, not JSON, not an object, or holds a bad key or value.
    """
    return read_rules(path).service_times


def _read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError("file not found", source=str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"not a JSON file: {err}", source=str(path)) from None
    if not isinstance(doc, dict):
        raise InputError("must be a JSON object of rules", source=str(path))
    return doc

