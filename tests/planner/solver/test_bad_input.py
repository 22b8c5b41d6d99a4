"""Bad input gives a project error naming the item, site or field, never an OR-Tools crash."""

from __future__ import annotations

import numpy as np
import pytest

from planner.domain import Site, SiteKind, VehicleType
from planner.exceptions import InputError
from planner.problem import ProblemBuilder, Travel

from .days import DAY, build, courier, item, site

SITES = [site("PO", 0), site("A", 1), site("B", 2)]


def test_unknown_site_names_item_and_field() -> None:
    """An item going to a site that does not exist names the item and field."""
    with pytest.raises(InputError) as err:
        build(SITES, [courier("K1")], [item("D1", "A", "NOPE")])
    assert (err.value.row, err.value.field) == ("D1", "delivery_site")


def test_negative_quantity() -> None:
    """A negative quantity is rejected on its item."""
    with pytest.raises(InputError) as err:
        build(SITES, [courier("K1")], [item("D1", "A", "B", quantity=(-1,))])
    assert err.value.field == "quantity"


def test_nan_coordinates() -> None:
    """A site without finite coordinates is rejected by name."""
    b = ProblemBuilder(DAY)
    b.add_site(Site("X", "X", SiteKind.CITIZEN, float("nan"), 21.0))
    with pytest.raises(InputError) as err:
        b.build()
    assert (err.value.row, err.value.field) == ("X", "lon/lat")


def test_matrix_wrong_shape() -> None:
    """A non-square matrix is rejected naming the matrix."""
    with pytest.raises(InputError) as err:
        Travel(np.zeros((2, 3), dtype=np.int64), np.zeros((2, 3), dtype=np.int64))
    assert err.value.field == "distance_m"
    assert VehicleType.MOTORBIKE
